"""Two desks of one branch approve the same pending request before either has synced. Central posts
the approval it applies first and refuses the other (``adjust.already_decided``). The refused desk's
provisional posting carries the very entry uid central's posting carries (``adjust:<request>``, one
per request), so its rows must give way to central's: the desk holds central's entry once, its pull
goes on, its exceptions queue says why the approval was refused, and its balances are central's."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sync_support import BRANCH, Desk, add_central_staff, central_balances, central_rows, new_desk, seed_central

from loyalty_desk.demo.catalogue import seed_catalogue
from loyalty_desk.services.adjustments.service import AdjustmentService
from loyalty_desk.services.handlers import operation_handlers
from loyalty_desk.services.redemption.service import RedemptionService
from loyalty_desk.store.db import Database
from loyalty_desk.store.models import LedgerEntry
from loyalty_desk.store.uow import uow_factory
from loyalty_desk.sync.applier import Applier
from loyalty_desk.sync.provisional_ids import PROVISIONAL_BASE

pytestmark = pytest.mark.postgres

MEMO = "duplicate posting of the 3 May card spend"
POINTS = 2_000
REBATE = ("CASH-RBT20", 2_000)  # more than the opening balance of the spent case: it draws on the adjustment's lot


def _add_staff(central_url: str, *, with_catalogue: bool) -> None:
    database = Database(central_url)
    with uow_factory(database)(write=True) as uow:
        branch = uow.reference.branch_by_code(BRANCH)
        add_central_staff(uow, "off1", "officer", branch.id, datetime(2026, 11, 1))
        add_central_staff(uow, "sup2", "supervisor", branch.id, datetime(2026, 11, 1))
        if with_catalogue:
            seed_catalogue(uow, date.today())
        uow.commit()
    database.dispose()


def _adjustment_entries(desk: Desk, request_id: str) -> list[tuple[int, str, int]]:
    """(id, entry uid, points) of every entry the adjustment left at the desk, its compensations included."""
    with desk.context.uow() as uow:
        rows = uow.ledger.session.execute(
            select(LedgerEntry.id, LedgerEntry.entry_uid, LedgerEntry.points).where(LedgerEntry.entry_uid.contains(f"adjust:{request_id}"))
        ).all()
        return [(int(i), str(uid), int(points)) for i, uid, points in rows]


def _holdings(desk: Desk, member_no: str) -> tuple[int, int]:
    with desk.context.uow() as uow:
        member = uow.members.by_no(member_no)
        assert member is not None
        return int(member.posted_balance), int(member.held_points)


@pytest.mark.parametrize(("direction", "spent"), [("credit", False), ("debit", False), ("credit", True)],
                         ids=["credit", "debit", "credit_spent_at_the_refused_desk"])
@pytest.mark.parametrize("verdict_first", [True, False], ids=["verdict_then_pull", "pull_then_verdict"])
def test_two_desks_approving_one_request_at_once_end_equal_to_central(
        central_url: str, desk_prefix: str, tmp_path: Path, direction: str, spent: bool, verdict_first: bool) -> None:
    """``spent``: the refused desk redeems, before its approval's verdict, points its own credit put in,
    so the compensation of its refused approval waits for that redemption to be settled."""
    opening = 1_000 if spent else 5_000
    (member_no,) = seed_central(central_url, [opening])
    _add_staff(central_url, with_catalogue=spent)
    first = new_desk(central_url, tmp_path / "a", f"{desk_prefix}_a")
    second = new_desk(central_url, tmp_path / "b", f"{desk_prefix}_b")
    applier = Applier(central_url, operation_handlers())
    try:
        request_id = str(uuid.uuid4())
        AdjustmentService(first.context, first.runner).request(
            operation_id=request_id, session=first.sign_in("off1"), member_no=member_no, direction=direction, points=POINTS,
            reason_code="CORRECTION", memo=MEMO, evidence_ref="LE-4411")
        first.sync.desk.push()
        assert applier.drain().posted == 1
        first.sync.desk.collect_outcomes()
        for desk in (first, second):
            desk.sync.desk.pull()

        # both supervisors approve the request at their own desk before either desk syncs
        approvals: dict[str, str] = {}
        for name, desk, supervisor in (("first", first, "sup1"), ("second", second, "sup2")):
            service = AdjustmentService(desk.context, desk.runner)
            (queued,) = service.queue(session=desk.sign_in(supervisor))
            approvals[name] = str(uuid.uuid4())
            service.approve(operation_id=approvals[name], request_id=queued.request_id, session=desk.sign_in(supervisor))
        expected = opening + POINTS if direction == "credit" else opening - POINTS
        assert _holdings(first, member_no)[0] == _holdings(second, member_no)[0] == expected
        if spent:
            RedemptionService(second.context, second.runner).redeem(
                operation_id=str(uuid.uuid4()), session=second.sign_in("sup2"), member_no=member_no, reward_code=REBATE[0], qty=1)
            expected -= REBATE[1]

        first.sync.desk.push()
        second.sync.desk.push()
        report = applier.drain()
        assert (report.posted, report.rejected) == (1 + spent, 1)
        verdicts = {r.operation_id: (r.status, r.reason_code) for r in central_rows(
            central_url, "SELECT operation_id, status, reason_code FROM inbound_operation WHERE operation_id = ANY(:ids)",
            ids=list(approvals.values()))}
        assert verdicts == {approvals["first"]: ("posted", None), approvals["second"]: ("rejected", "adjust.already_decided")}

        for desk in (first, second):
            if verdict_first:
                desk.sync.desk.collect_outcomes()
            pulled = desk.sync.desk.pull()
            assert pulled.stopped_at is None
            desk.sync.desk.collect_outcomes()
            assert desk.sync.desk.pull().stopped_at is None  # and the next round is not stuck either

        (central_entry,) = central_rows(
            central_url, "SELECT id, entry_uid, points FROM ledger_entry WHERE entry_uid LIKE :uid", uid=f"%adjust:{request_id}")
        for desk in (first, second):
            assert _adjustment_entries(desk, request_id) == [(central_entry.id, central_entry.entry_uid, central_entry.points)]
            assert central_entry.id < PROVISIONAL_BASE
            assert desk.sync.status().last_error is None
            assert desk.sync.desk.waiting_ids() == []
            assert _holdings(desk, member_no) == (expected, 0)
        assert central_balances(central_url)[member_no] == expected
        assert first.sync.exceptions() == []
        (exception,) = second.sync.exceptions()
        assert (exception.operation_id, exception.reason_code) == (approvals["second"], "adjust.already_decided")
        with second.context.uow() as uow:
            adjustment = uow.adjustments.by_operation(request_id)
            assert adjustment is not None and adjustment.status == "approved"
    finally:
        applier.close()
        first.close()
        second.close()
