"""A decision on a sync exception is an operation that reaches central: the applier runs the same
handler (``sync.resolve``) on the authoritative state. Against a real PostgreSQL central."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sync_support import BRANCH, HANDLERS, Desk, add_central_staff, central_balances, central_rows, new_desk, receive_signed, seed_central

from loyalty_desk.services.audit import Actor
from loyalty_desk.services.handlers import operation_handlers
from loyalty_desk.services.ledger import Ledger, Posting
from loyalty_desk.services.settings import SettingsService
from loyalty_desk.store.db import Database
from loyalty_desk.store.uow import uow_factory
from loyalty_desk.sync.applier import Applier
from loyalty_desk.sync.desk import PROVISIONAL_BASE

pytestmark = pytest.mark.postgres

PASSWORD = "Second-Super-9"
SUPERVISOR = Actor("sup1", "desk", BRANCH)


def _credit_at_central(url: str, member_no: str, points: int) -> None:
    """Points the member earns at head office meanwhile (an earning import, say)."""
    database = Database(url)
    factory = uow_factory(database)
    try:
        with factory(write=True) as uow:
            member = uow.members.lock(uow.members.by_no(member_no).id)
            Ledger(uow, SettingsService(factory).current(), datetime(2026, 11, 2, 9, 0)).credit(
                member, Posting(entry_uid=f"test-earn:{uuid.uuid4()}", kind="earn", rule="seed", occurred_on=date.today()), points, qualifying=True,
            )
            uow.commit()
    finally:
        database.dispose()


def _add_second_supervisor(url: str) -> None:
    database = Database(url)
    try:
        with uow_factory(database)(write=True) as uow:
            branch = uow.reference.branch_by_code(BRANCH)
            add_central_staff(uow, "sup2", "supervisor", branch.id, datetime(2026, 11, 1, 9, 0), password=PASSWORD)
            uow.commit()
    finally:
        database.dispose()


def _spend_elsewhere(url: str, member_no: str, points: int, applier: Applier) -> None:
    """Another desk's operation, already applied at central."""
    receive_signed(url, [("test_debit", {"member_no": member_no, "points": points})])
    assert applier.drain().posted == 1


def _rejected_at_central(desk: Desk, member_no: str, applier: Applier, central_url: str) -> Any:
    """The desk debits 800 of 1,000 while another desk spends 700 at central: central rejects ours."""
    rejected = desk.debit(member_no, 800).operation_id
    _spend_elsewhere(central_url, member_no, 700, applier)
    desk.sync.desk.push()
    assert applier.drain().rejected == 1
    outcomes = desk.sync.desk.collect_outcomes(wait=2.0)
    assert [(o.operation_id, o.outcome, o.code) for o in outcomes] == [(rejected, "rejected", "balance.insufficient")]
    (exception,) = desk.sync.exceptions()
    assert (exception.operation_id, exception.points_given_back) == (rejected, 800)
    return exception


def _settle(desk: Desk, operation_id: str, applier: Applier) -> str:
    desk.sync.desk.push([operation_id])
    applier.drain()
    verdict = desk.sync.desk.collect_outcomes([operation_id], wait=2.0)
    desk.sync.desk.pull()
    return verdict[0].outcome


def test_points_owed_reaches_central_and_debits_its_balance(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    (member_no,) = seed_central(central_url, [1_000])
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    applier = Applier(central_url, [*HANDLERS, *operation_handlers()])
    try:
        exception = _rejected_at_central(desk, member_no, applier, central_url)
        _credit_at_central(central_url, member_no, 2_000)
        desk.sync.desk.pull()
        assert desk.balance(member_no) == 2_300 == central_balances(central_url)[member_no]

        outcome = desk.sync.resolve(exception_id=exception.id, resolution="points_owed", actor=SUPERVISOR, role="supervisor",
                                    note="member kept the goods; points taken again")
        assert outcome.points_debited == 800 and desk.balance(member_no) == 1_500
        assert desk.sync.status().exceptions == 0 and desk.sync.status().waiting == 1

        assert _settle(desk, outcome.operation_id, applier) == "accepted"
        assert desk.balance(member_no) == 1_500 == central_balances(central_url)[member_no]  # central's authoritative balance is debited
        # central applied the very handler: its operation, its debit, its copy of the decision, its audit event
        ((status, kind),) = central_rows(central_url, "SELECT status, kind FROM operation WHERE id = :i", i=outcome.operation_id)
        assert (status, kind) == ("posted", "sync.resolve")
        ((points, rule),) = central_rows(central_url, "SELECT points, rule FROM ledger_entry WHERE entry_uid = :u", u=f"sync.resolve:{outcome.operation_id}")
        assert (points, rule) == (-800, "sync_points_owed")
        ((resolution, resolved_by, linked),) = central_rows(
            central_url, "SELECT resolution, resolved_by, resolution_operation_id FROM sync_exception WHERE operation_id = :i", i=exception.operation_id)
        assert (resolution, resolved_by, linked) == ("points_owed", "sup1", outcome.operation_id)
        ((details,),) = central_rows(central_url, "SELECT details FROM audit_event WHERE action = 'sync.exception_resolved'")
        assert (details["resolution"], details["operation_id"], details["points_debited"]) == ("points_owed", outcome.operation_id, 800)
        # and the desk holds central's copies now: nothing provisional is left of the decision
        with desk.context.uow() as uow:
            left = uow.ledger.session.execute(
                text("SELECT count(*) FROM ledger_entry WHERE operation_id = :i AND id >= :b"), {"i": outcome.operation_id, "b": PROVISIONAL_BASE}
            ).scalar()
        assert left == 0
        (resolved,) = desk.sync.exceptions(include_resolved=True)
        assert (resolved.resolution, resolved.resolution_operation_id) == ("points_owed", outcome.operation_id)
        assert desk.sync.status().waiting == 0
        # a second decision on the same rejected operation is refused by central too
        replay_payload = central_rows(central_url, "SELECT payload FROM operation WHERE id = :i", i=outcome.operation_id)[0][0]
        receive_signed(central_url, [("sync.resolve", {**replay_payload, "resolution": "goods_reversed"})])
        assert applier.drain().rejected == 1
        assert central_rows(central_url, "SELECT reason_code FROM inbound_operation WHERE kind = 'sync.resolve' AND status = 'rejected'") == [
            ("sync.already_resolved",)]
    finally:
        applier.close()
        desk.close()


def test_a_decision_central_refuses_reopens_the_exception_and_a_write_off_follows(central_url: str, desk_prefix: str, tmp_path: Path) -> None:
    (member_no,) = seed_central(central_url, [1_000])
    _add_second_supervisor(central_url)
    desk = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    applier = Applier(central_url, [*HANDLERS, *operation_handlers()])
    try:
        exception = _rejected_at_central(desk, member_no, applier, central_url)
        _credit_at_central(central_url, member_no, 1_000)
        desk.sync.desk.pull()
        assert desk.balance(member_no) == 1_300
        _spend_elsewhere(central_url, member_no, 1_000, applier)  # central: 300 left; the desk has not heard yet

        refused = desk.sync.resolve(exception_id=exception.id, resolution="points_owed", actor=SUPERVISOR, role="supervisor",
                                    note="member kept the goods; points taken again")
        assert desk.balance(member_no) == 500
        assert _settle(desk, refused.operation_id, applier) == "rejected"

        # the refused decision is reversed here and the exception it was meant to close is open again
        (reopened,) = desk.sync.exceptions()
        assert reopened.operation_id == exception.operation_id and reopened.resolution is None
        assert reopened.refused_resolution["reason_code"] == "balance.insufficient"
        assert reopened.refused_resolution["params"] == {"available": 300, "requested": 800}
        assert desk.balance(member_no) == 300 == central_balances(central_url)[member_no]
        assert central_rows(central_url, "SELECT count(*) FROM sync_exception") == [(0,)]  # central recorded no decision

        written_off = desk.sync.resolve(exception_id=exception.id, resolution="written_off", actor=SUPERVISOR, role="supervisor",
                                        note="bank absorbs the loss", approver_username="sup2", approver_password=PASSWORD)
        assert written_off.written_off_points == 800 and written_off.approved_by == "sup2"
        assert _settle(desk, written_off.operation_id, applier) == "accepted"  # central re-checked the approver
        assert desk.sync.exceptions() == [] and desk.balance(member_no) == 300 == central_balances(central_url)[member_no]
        assert central_rows(central_url, "SELECT resolution, resolution_operation_id FROM sync_exception") == [("written_off", written_off.operation_id)]
    finally:
        applier.close()
        desk.close()
