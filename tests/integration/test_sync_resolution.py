"""Resolving a sync exception ("resolving it is itself an operation and audited"): the decision
is a desk operation of kind ``sync.resolve`` that posts what it implies, on a desk's SQLite store.

Central's rejection is applied through the desk's own rejection path (``DeskSync._reject_locally``);
the desk has a central configured that is never reached, so every operation also queues for it.
The round trip through a real central is in ``tests/integration/sync/test_sync_resolution.py``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from factories import DEFAULT_PASSWORD, LocalStore, add_branch, add_member, add_staff, open_store, post_debit, post_earning

from loyalty_desk.domain.errors import Conflict, DomainError, Forbidden, NotFound, ValidationError
from loyalty_desk.services.adjustments.service import AdjustmentService
from loyalty_desk.services.audit import Actor, AuditService
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.handlers import operation_runner
from loyalty_desk.services.operations import OperationRequest, OperationRunner
from loyalty_desk.services.redemption.service import RedemptionService
from loyalty_desk.services.sync_resolution import RESOLVE, SyncResolution
from loyalty_desk.store.models import Operation, Outbox, RewardStockMovement, SyncException
from loyalty_desk.sync.desk_settings import DeskSettings
from loyalty_desk.sync.service import SyncService

START = datetime(2026, 6, 10, 9, 0)
UNREACHABLE = "postgresql://ld_desk_x:secret@127.0.0.1:1/central"  # configured, never reached in these tests
NOTE = "member kept the voucher, agreed at the counter"


@dataclass
class Desk:
    store: LocalStore
    runner: OperationRunner
    sync: SyncService
    redemption: RedemptionService
    officer: StaffSession
    supervisor: StaffSession
    supervisor2: StaffSession
    hq_supervisor: StaffSession
    other_branch_supervisor: StaffSession
    admin: StaffSession
    member: str
    lots: tuple[int, int]  # the member's two lots, soonest-expiring first

    @property
    def context(self) -> Any:
        return self.store.context

    def redeem(self, reward_code: str = "VCH-4500") -> str:
        operation_id = str(uuid.uuid4())
        self.redemption.redeem(operation_id=operation_id, session=self.officer, member_no=self.member, reward_code=reward_code)
        return operation_id

    def reject(self, operation_id: str, code: str = "balance.insufficient", **params: Any) -> None:
        """Head office's verdict, applied through the desk's own rejection path."""
        self.sync.desk._reject_locally(operation_id, code, params or {"available": 100, "requested": 4_500})

    def exception(self, rejected: str) -> Any:
        return next(e for e in self.sync.exceptions(include_resolved=True) if e.operation_id == rejected)

    def resolve(self, rejected: str, resolution: str, who: StaffSession | None = None, *, note: str = NOTE, **kwargs: Any) -> SyncResolution:
        who = who or self.supervisor
        return self.sync.resolve(
            exception_id=self.exception(rejected).id, resolution=resolution, actor=Actor(who.username, "test-desk", who.branch_code),
            role=who.role, note=note, staff_id=who.staff_id, **kwargs,
        )

    def balance(self) -> tuple[int, int]:
        """(posted, available)"""
        with self.context.uow() as uow:
            member = uow.members.by_no(self.member)
            return member.posted_balance, member.posted_balance - member.held_points

    def invariants(self) -> None:
        with self.context.uow() as uow:
            member = uow.members.by_no(self.member)
            assert member.posted_balance == uow.ledger.sum_entries(member.id) == uow.ledger.sum_lot_remaining(member.id)
            assert member.posted_balance - member.held_points >= 0

    def audit(self, action: str) -> list[Any]:
        with self.context.uow() as uow:
            _, rows = uow.audit.search(action=action, limit=1000)
            return [(r.action, r.actor, r.entity_id, r.member_no, dict(r.details or {})) for r in reversed(rows)]

    def row(self, operation_id: str) -> SyncException:
        with self.context.uow() as uow:
            row = uow.ledger.session.query(SyncException).filter_by(operation_id=operation_id).one()
            uow.ledger.session.expunge(row)
            return row

    def operation(self, operation_id: str) -> Operation | None:
        with self.context.uow() as uow:
            found = uow.ledger.operation(operation_id)
            if found is not None:
                uow.ledger.session.expunge(found)
            return found

    def outbox(self, operation_id: str) -> Outbox | None:
        with self.context.uow() as uow:
            return uow.ledger.session.get(Outbox, operation_id)


@pytest.fixture
def desk(tmp_path: Path) -> Any:
    store = open_store(tmp_path / "store", now=START)
    add_branch(store.context, code="HQ01", name_zh="总行营业部", name_en="Head Office", head_office=True)
    add_branch(store.context, code="BJ01")
    add_branch(store.context, code="SH01", name_zh="上海分行", name_en="Shanghai Branch")
    runner = operation_runner(store.context)
    sync = SyncService(store.database, store.context, DeskSettings(UNREACHABLE, "desk_x"))
    sync.attach(runner)
    redemption = RedemptionService(store.context, runner)
    admin = add_staff(store.context, username="admin", role="admin", branch_code="HQ01")
    redemption.upsert_reward(session=admin, code="VCH-4500", name_zh="礼券", name_en="Voucher", category="voucher", points_cost=4_500, cash_value="45")
    redemption.upsert_reward(session=admin, code="GIFT-MUG", name_zh="杯子", name_en="Mug", category="physical_gift", points_cost=1_000,
                             cash_value="10", stock_tracked=True)
    redemption.receive_stock(session=admin, branch_code="BJ01", reward_code="GIFT-MUG", qty=5)
    member = add_member(store.context, name="张伟")
    older = post_earning(store.context, member, 3_000, on=date(2024, 9, 1))  # expires first
    newer = post_earning(store.context, member, 5_000, on=date(2026, 5, 1))
    with store.context.uow() as uow:
        lots = tuple(lot.id for lot in uow.ledger.lots_for_member(uow.members.by_no(member).id))
    assert len(lots) == 2 and older != newer
    opened = Desk(
        store, runner, sync, redemption,
        officer=add_staff(store.context, username="officer.bj", role="officer"),
        supervisor=add_staff(store.context, username="super.bj", role="supervisor"),
        supervisor2=add_staff(store.context, username="super.bj2", role="supervisor"),
        hq_supervisor=add_staff(store.context, username="super.hq", role="supervisor", branch_code="HQ01"),
        other_branch_supervisor=add_staff(store.context, username="super.sh", role="supervisor", branch_code="SH01"),
        admin=admin, member=member, lots=lots,  # type: ignore[arg-type]
    )
    yield opened
    sync.close()
    store.close()


def _rejected_redemption(desk: Desk, reward_code: str = "VCH-4500") -> str:
    operation_id = desk.redeem(reward_code)
    desk.reject(operation_id)
    return operation_id


# ---------------------------------------------------------------------------- points owed


def test_points_owed_takes_the_points_again_soonest_expiring_first_and_closes_the_exception(desk: Desk) -> None:
    rejected = _rejected_redemption(desk)
    assert desk.balance() == (8_000, 8_000)  # the rejection gave the 4,500 back into the very lots
    (open_,) = desk.sync.exceptions()
    assert (open_.operation_id, open_.points, open_.points_given_back, open_.kind) == (rejected, 4_500, 4_500, "redeem")

    operation_id = desk.sync.new_operation_id()
    outcome = desk.resolve(rejected, "points_owed", operation_id=operation_id)

    assert (outcome.operation_id, outcome.resolution, outcome.points, outcome.points_debited, outcome.balance_after) == (
        operation_id, "points_owed", 4_500, 4_500, 3_500)
    assert outcome.member_no == desk.member and outcome.resolved_by == "super.bj" and outcome.approved_by is None and not outcome.replayed
    assert desk.balance() == (3_500, 3_500)
    desk.invariants()
    with desk.context.uow() as uow:
        entry = uow.ledger.entry_by_uid(f"sync.resolve:{operation_id}")
        assert (entry.kind, entry.rule, entry.points, entry.operation_id) == ("adjust", "sync_points_owed", -4_500, operation_id)
        taken = [(m.lot_id, m.points) for m in uow.ledger.movements_of_entry(entry.id)]
    assert taken == [(desk.lots[0], -3_000), (desk.lots[1], -1_500)]  # soonest-expiring lot first

    # the exception row is linked to the operation, in the operation's own transaction
    row = desk.row(rejected)
    assert (row.resolution, row.resolved_by, row.resolution_operation_id, row.resolved_at) == ("points_owed", "super.bj", operation_id, START)
    assert desk.sync.exceptions() == [] and desk.sync.status().exceptions == 0
    operation = desk.operation(operation_id)
    assert (operation.kind, operation.status, operation.staff_id) == (RESOLVE, "posted", desk.supervisor.staff_id)
    assert operation.payload == {
        "rejected_operation_id": rejected, "resolution": "points_owed", "note": NOTE, "member_no": desk.member, "points": 4_500,
        "reason_code": "balance.insufficient", "resolved_by": "super.bj", "approved_by": None,
        "goods": {"reward_code": "VCH-4500", "qty": 1, "branch_code": "BJ01"},
    }
    # it is a desk operation like any other: it waits to be sent to head office
    assert desk.outbox(operation_id) is not None
    assert [(w.operation_id, w.kind, w.points) for w in desk.sync.waiting()] == [(operation_id, RESOLVE, 4_500)]
    (event,) = desk.audit("sync.exception_resolved")
    assert event[:4] == ("sync.exception_resolved", "super.bj", rejected, desk.member)
    assert {k: event[4][k] for k in ("resolution", "note", "operation_id", "points_debited", "reason_code")} == {
        "resolution": "points_owed", "note": NOTE, "operation_id": operation_id, "points_debited": 4_500, "reason_code": "balance.insufficient"}
    assert AuditService(desk.context.uow).verify().ok


def test_points_owed_is_refused_when_the_member_cannot_cover_it_and_another_decision_follows(desk: Desk) -> None:
    rejected = _rejected_redemption(desk)
    post_debit(desk.context, desk.member, 5_000, on=date(2026, 6, 9))  # spent meanwhile
    assert desk.balance() == (3_000, 3_000)
    operation_id = desk.sync.new_operation_id()
    with pytest.raises(DomainError) as refused:
        desk.resolve(rejected, "points_owed", operation_id=operation_id)
    assert refused.value.code == "balance.insufficient" and dict(refused.value.params) == {"available": 3_000, "requested": 4_500}
    assert desk.operation(operation_id) is None and desk.outbox(operation_id) is None  # nothing was recorded
    assert [e.operation_id for e in desk.sync.exceptions()] == [rejected]  # still waiting for a decision
    assert desk.balance() == (3_000, 3_000)
    outcome = desk.resolve(rejected, "goods_reversed", note="voucher cancelled with the supplier")
    assert outcome.resolution == "goods_reversed" and desk.sync.exceptions() == []
    desk.invariants()


def test_held_points_count_against_points_owed(desk: Desk) -> None:
    rejected = _rejected_redemption(desk)
    adjustments = AdjustmentService(desk.context, desk.runner)
    adjustments.request(operation_id=str(uuid.uuid4()), session=desk.officer, member_no=desk.member, direction="debit", points=4_000,
                        reason_code="CORRECTION", memo="duplicate posting of 3 June", evidence_ref="LE-1")
    assert desk.balance() == (8_000, 4_000)
    with pytest.raises(DomainError) as refused:
        desk.resolve(rejected, "points_owed")
    assert refused.value.code == "balance.insufficient" and refused.value.params["available"] == 4_000


def test_points_owed_needs_points_the_rejection_gave_back(desk: Desk) -> None:
    adjustments = AdjustmentService(desk.context, desk.runner)
    request_id = str(uuid.uuid4())
    adjustments.request(operation_id=request_id, session=desk.officer, member_no=desk.member, direction="credit", points=500,
                        reason_code="SERVICE_RECOVERY", memo="complaint handled at the counter", evidence_ref="CMP-1")
    desk.reject(request_id, "central.rejected")
    assert desk.exception(request_id).points_given_back == 0
    with pytest.raises(DomainError) as refused:
        desk.resolve(request_id, "points_owed")
    assert refused.value.code == "sync.nothing_owed"
    assert desk.resolve(request_id, "written_off", approver_username="super.bj2", approver_password=DEFAULT_PASSWORD).written_off_points == 0


# ---------------------------------------------------------------------------- goods reversed


def test_goods_reversed_moves_no_points_and_no_stock(desk: Desk) -> None:
    def on_hand() -> int:
        return {o.code: o.stock for o in desk.redemption.catalogue(branch_code="BJ01")}["GIFT-MUG"]

    rejected = _rejected_redemption(desk, "GIFT-MUG")
    after_rejection = on_hand()  # the rejection settles the desk's stock (central never took it)
    assert desk.balance() == (8_000, 8_000)
    with desk.context.uow() as uow:
        entries_before = len(uow.ledger.entries_for_member(uow.members.by_no(desk.member).id))
    outcome = desk.resolve(rejected, "goods_reversed", note="mug brought back unused")
    assert (outcome.points, outcome.points_debited, outcome.written_off_points, outcome.balance_after) == (1_000, 0, 0, 8_000)
    assert desk.balance() == (8_000, 8_000) and on_hand() == after_rejection
    with desk.context.uow() as uow:
        assert len(uow.ledger.entries_for_member(uow.members.by_no(desk.member).id)) == entries_before
        assert uow.ledger.session.query(RewardStockMovement).filter_by(operation_id=outcome.operation_id).count() == 0
    assert outcome.goods == {"reward_code": "GIFT-MUG", "qty": 1, "branch_code": "BJ01"}  # named for the branch's stock count
    row = desk.row(rejected)
    assert (row.resolution, row.resolution_operation_id) == ("goods_reversed", outcome.operation_id)
    assert desk.operation(outcome.operation_id).status == "posted" and desk.outbox(outcome.operation_id) is not None
    assert desk.audit("sync.exception_resolved")[0][4]["note"] == "mug brought back unused"


# ---------------------------------------------------------------------------- written off


def test_write_off_needs_a_second_supervisor_checked_by_credentials(desk: Desk) -> None:
    rejected = _rejected_redemption(desk)
    with pytest.raises(ValidationError) as missing:
        desk.resolve(rejected, "written_off")
    assert missing.value.code == "sync.approver_required" and missing.value.field == "approved_by"
    with pytest.raises(DomainError) as same:
        desk.resolve(rejected, "written_off", approver_username="super.bj", approver_password=DEFAULT_PASSWORD)
    assert same.value.code == "sync.approver_same"
    with pytest.raises(DomainError) as officer:
        desk.resolve(rejected, "written_off", approver_username="officer.bj", approver_password=DEFAULT_PASSWORD)
    assert officer.value.code == "sync.approver_not_supervisor" and officer.value.params["role"] == "officer"
    with pytest.raises(DomainError) as admin:
        desk.resolve(rejected, "written_off", approver_username="admin", approver_password=DEFAULT_PASSWORD)
    assert admin.value.code == "sync.approver_not_supervisor"
    with pytest.raises(DomainError) as other_branch:
        desk.resolve(rejected, "written_off", approver_username="super.sh", approver_password=DEFAULT_PASSWORD)
    assert other_branch.value.code == "sync.approver_other_branch"
    with pytest.raises(DomainError) as wrong_password:
        desk.resolve(rejected, "written_off", approver_username="super.bj2", approver_password="not-the-password-1")
    assert wrong_password.value.code == "auth.invalid_credentials"
    assert [e.operation_id for e in desk.sync.exceptions()] == [rejected]  # none of those decided anything

    outcome = desk.resolve(rejected, "written_off", approver_username="super.bj2", approver_password=DEFAULT_PASSWORD)
    assert (outcome.resolution, outcome.written_off_points, outcome.points_debited, outcome.approved_by) == ("written_off", 4_500, 0, "super.bj2")
    assert desk.balance() == (8_000, 8_000)  # the bank absorbs it: no points move
    assert desk.operation(outcome.operation_id).payload["approved_by"] == "super.bj2"
    (event,) = desk.audit("sync.exception_resolved")
    assert (event[4]["resolution"], event[4]["written_off_points"], event[4]["approved_by"]) == ("written_off", 4_500, "super.bj2")
    # the approver signed in at this desk: audited like any sign-in
    assert [e[1] for e in desk.audit("auth.sign_in") if e[0] == "auth.sign_in"].count("super.bj2") == 1


def test_a_head_office_supervisor_may_approve_and_an_admin_may_resolve(desk: Desk) -> None:
    rejected = _rejected_redemption(desk)
    outcome = desk.resolve(rejected, "written_off", desk.admin, approver_username="super.hq", approver_password=DEFAULT_PASSWORD)
    assert (outcome.resolved_by, outcome.approved_by) == ("admin", "super.hq")


def test_only_a_supervisor_or_admin_resolves(desk: Desk) -> None:
    rejected = _rejected_redemption(desk)
    with pytest.raises(Forbidden) as refused:
        desk.resolve(rejected, "goods_reversed", desk.officer)
    assert refused.value.code == "sync.resolve_role"
    # the handler checks the staff behind the operation too, whatever role the caller claims
    with pytest.raises(Forbidden):
        desk.sync.resolve(exception_id=desk.exception(rejected).id, resolution="goods_reversed", role="supervisor",
                          actor=Actor("officer.bj", "test-desk", "BJ01"), note=NOTE)
    assert desk.sync.exceptions() != []


# ---------------------------------------------------------------------------- once, and bad input


def test_the_same_operation_replays_and_a_second_decision_is_refused(desk: Desk) -> None:
    rejected = _rejected_redemption(desk)
    operation_id = desk.sync.new_operation_id()
    first = desk.resolve(rejected, "points_owed", operation_id=operation_id)
    again = desk.resolve(rejected, "points_owed", operation_id=operation_id)
    assert again.replayed and not first.replayed and again.points_debited == first.points_debited == 4_500
    assert desk.balance() == (3_500, 3_500)  # debited once
    assert len(desk.audit("sync.exception_resolved")) == 1
    with pytest.raises(Conflict) as changed:
        desk.resolve(rejected, "points_owed", operation_id=operation_id, note="another note altogether")
    assert changed.value.code == "operation.payload_mismatch"
    with pytest.raises(Conflict) as twice:
        desk.resolve(rejected, "goods_reversed")
    assert twice.value.code == "sync.already_resolved"
    # the handler refuses it too, whoever builds the operation
    request = OperationRequest(str(uuid.uuid4()), RESOLVE, {**desk.operation(operation_id).payload, "resolution": "goods_reversed"},
                               "test-desk", desk.supervisor.staff_id)
    with pytest.raises(Conflict) as direct:
        desk.runner.execute(request)
    assert direct.value.code == "sync.already_resolved"


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"resolution": "forgiven"}, "sync.resolution", "resolution"),
        ({"note": " no "}, "sync.note_required", "note"),
        ({"note": "x" * 501}, "sync.note_too_long", "note"),
        ({"operation_id": "not-a-uuid"}, "sync.operation_id", "operation_id"),
    ],
)
def test_bad_input_names_the_field(desk: Desk, kwargs: dict, code: str, field: str) -> None:
    rejected = _rejected_redemption(desk)
    arguments = {"resolution": "goods_reversed", **kwargs}
    with pytest.raises(ValidationError) as refused:
        desk.resolve(rejected, arguments.pop("resolution"), **arguments)
    assert (refused.value.code, refused.value.field) == (code, field)


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"points": 100}, "sync.points_mismatch", "points"),
        ({"points": "4500"}, "sync.points", "points"),
        ({"member_no": None}, "sync.member_mismatch", "member_no"),
        ({"member_no": "M12"}, "member_no.format", "member_no"),
        ({"approved_by": "super.bj2"}, "sync.approver_unexpected", "approved_by"),
        ({"resolved_by": "super.bj2"}, "sync.resolved_by", "resolved_by"),
        ({"rejected_operation_id": "nope"}, "sync.operation_id", "rejected_operation_id"),
        ({"goods": {"reward_code": "VCH-4500", "qty": 0, "branch_code": "BJ01"}}, "sync.goods", "goods"),
    ],
)
def test_the_handler_checks_its_payload(desk: Desk, change: dict, code: str, field: str) -> None:
    rejected = _rejected_redemption(desk)
    payload = {
        "rejected_operation_id": rejected, "resolution": "goods_reversed", "note": NOTE, "member_no": desk.member, "points": 4_500,
        "reason_code": "balance.insufficient", "resolved_by": "super.bj", "approved_by": None, **change,
    }
    with pytest.raises(ValidationError) as refused:
        desk.runner.execute(OperationRequest(str(uuid.uuid4()), RESOLVE, payload, "test-desk", desk.supervisor.staff_id))
    assert (refused.value.code, refused.value.field) == (code, field)


def test_an_unknown_exception_is_not_found(desk: Desk) -> None:
    with pytest.raises(NotFound):
        desk.sync.resolve(exception_id=999, resolution="goods_reversed", actor=Actor("super.bj", "d"), role="supervisor", note=NOTE)
    payload = {"rejected_operation_id": str(uuid.uuid4()), "resolution": "goods_reversed", "note": NOTE, "member_no": None, "points": 0,
               "reason_code": "central.rejected", "resolved_by": "super.bj", "approved_by": None}
    with pytest.raises(NotFound):  # a desk decides only on its own exceptions
        desk.runner.execute(OperationRequest(str(uuid.uuid4()), RESOLVE, payload, "test-desk", desk.supervisor.staff_id))


# ---------------------------------------------------------------------------- head office refuses the decision


def test_a_decision_head_office_refuses_reopens_the_exception(desk: Desk) -> None:
    rejected = _rejected_redemption(desk)
    first = desk.resolve(rejected, "points_owed")
    assert desk.balance() == (3_500, 3_500)
    desk.reject(first.operation_id, "balance.insufficient", available=1_000, requested=4_500)  # central: spent elsewhere meanwhile

    assert desk.balance() == (8_000, 8_000)  # the decision's debit is reversed like any rejected operation's
    desk.invariants()
    (reopened,) = desk.sync.exceptions()  # the same exception, open again; the refused decision is no exception of its own
    assert reopened.operation_id == rejected and reopened.resolved_at is None and reopened.resolution is None
    assert reopened.refused_resolution == {"resolution": "points_owed", "operation_id": first.operation_id,
                                           "reason_code": "balance.insufficient", "params": {"available": 1_000, "requested": 4_500}}
    assert reopened.reason_code == "balance.insufficient" and reopened.params["available"] == 100  # the original reason stays
    assert desk.operation(first.operation_id).status == "rejected"
    (event,) = desk.audit("sync.exception_reopened")
    assert event[2] == rejected and event[4]["resolution_operation_id"] == first.operation_id
    # a new decision is a new operation
    second = desk.resolve(rejected, "written_off", approver_username="super.bj2", approver_password=DEFAULT_PASSWORD)
    assert second.operation_id != first.operation_id
    assert desk.row(rejected).resolution_operation_id == second.operation_id and desk.sync.exceptions() == []
