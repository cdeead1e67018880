"""Manual adjustments end to end (rules.md "Manual adjustments", "Roles"): maker-checker through
the service, the operation runner and the command line, on a SQLite file store."""

from __future__ import annotations

import csv
import threading
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from factories import DEFAULT_PASSWORD, LocalStore, add_branch, add_member, add_staff, carry_sign_ins, open_store, post_earning

from loyalty_desk.domain.errors import DomainError, Forbidden, ValidationError
from loyalty_desk.services.adjustments.dto import QueueFilter
from loyalty_desk.services.adjustments.service import AdjustmentService
from loyalty_desk.services.audit import AuditService
from loyalty_desk.services.auth import AuthService
from loyalty_desk.services.clock import utc_now
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.handlers import operation_runner
from loyalty_desk.services.staff_admin import StaffAdminService

START = datetime(2026, 6, 10, 9, 0)


@dataclass
class Desk:
    store: LocalStore
    service: AdjustmentService
    officer: StaffSession
    supervisor: StaffSession
    supervisor2: StaffSession
    other_branch_supervisor: StaffSession
    hq_supervisor: StaffSession
    admin: StaffSession
    auditor: StaffSession
    member: str

    @property
    def context(self):
        return self.store.context

    def op(self) -> str:
        return self.service.new_operation_id()

    def request(self, points: int = 1_000, direction: str = "credit", *, reason: str = "MISSING_POINTS", who: StaffSession | None = None,
                member: str | None = None, evidence: str | None = "TXN-2026-0042"):
        return self.service.request(operation_id=self.op(), session=who or self.officer, member_no=member or self.member,
                                    direction=direction, points=points, reason_code=reason,
                                    memo="Card spend of 6 May was not credited", evidence_ref=evidence)

    def approve(self, request_id: int, who: StaffSession, note: str = ""):
        return self.service.approve(operation_id=self.op(), request_id=request_id, session=who, note=note)

    def balances(self, member_no: str | None = None) -> tuple[int, int, int]:
        with self.context.uow() as uow:
            m = uow.members.by_no(member_no or self.member)
            return m.posted_balance, m.held_points, m.posted_balance - m.held_points

    def adjust_entries(self) -> list:
        with self.context.uow() as uow:
            m = uow.members.by_no(self.member)
            return [SimpleNamespace(points=e.points, rule=e.rule, reference=e.reference)
                    for e in uow.ledger.entries_for_member(m.id) if e.kind == "adjust"]

    def audit(self, action_prefix: str = "adjustment.") -> list:
        with self.context.uow() as uow:
            _, rows = uow.audit.search(action=action_prefix, limit=1000)
            return [SimpleNamespace(action=r.action, actor=r.actor, entity=r.entity, member_no=r.member_no, before=r.before,
                                    after=r.after, details=r.details) for r in reversed(rows)]

    def invariants(self) -> None:
        with self.context.uow() as uow:
            m = uow.members.by_no(self.member)
            assert m.posted_balance == uow.ledger.sum_entries(m.id) == uow.ledger.sum_lot_remaining(m.id)
            assert m.held_points == uow.adjustments.held_by_pending_debits(m.id)
            assert m.posted_balance - m.held_points >= 0


@pytest.fixture
def desk(tmp_path: Path):
    store = open_store(tmp_path / "store", now=START)
    add_branch(store.context, code="HQ01", name_zh="总行营业部", name_en="Head Office", head_office=True)
    add_branch(store.context, code="BJ01")
    add_branch(store.context, code="SH01", name_zh="上海分行", name_en="Shanghai Branch")
    auth = AuthService(store.context)
    runner = operation_runner(store.context)
    service = AdjustmentService(store.context, runner, auth)
    member = add_member(store.context, name="张伟")
    post_earning(store.context, member, 20_000, on=date(2026, 5, 1))
    opened = Desk(
        store, service,
        officer=add_staff(store.context, username="officer.bj", role="officer"),
        supervisor=add_staff(store.context, username="super.bj", role="supervisor"),
        supervisor2=add_staff(store.context, username="super.bj2", role="supervisor"),
        other_branch_supervisor=add_staff(store.context, username="super.sh", role="supervisor", branch_code="SH01"),
        hq_supervisor=add_staff(store.context, username="super.hq", role="supervisor", branch_code="HQ01"),
        admin=add_staff(store.context, username="admin", role="admin", branch_code="HQ01"),
        auditor=add_staff(store.context, username="auditor", role="auditor", branch_code="HQ01"),
        member=member,
    )
    yield opened
    store.close()


# ---------------------------------------------------------------------------- the life cycle


def test_credit_request_posts_nothing_until_approved_then_posts_once(desk):
    filed = desk.request(1_000)
    assert filed.status == "pending" and not filed.posted
    assert desk.balances() == (20_000, 0, 20_000)  # a pending credit is not yet available
    assert desk.adjust_entries() == []
    approved = desk.approve(filed.request_id, desk.supervisor, note="checked the card statement")
    assert approved.status == "approved" and approved.posted
    assert desk.balances() == (21_000, 0, 21_000)
    [entry] = desk.adjust_entries()
    assert entry.points == 1_000 and entry.rule == "missing_points" and entry.reference == "TXN-2026-0042"
    desk.invariants()


def test_pending_debit_is_held_out_of_the_available_balance(desk):
    filed = desk.request(5_000, "debit", reason="CORRECTION", evidence="LE-881")
    assert (filed.posted_balance, filed.held_points, filed.available_balance) == (20_000, 5_000, 15_000)
    assert desk.balances() == (20_000, 5_000, 15_000)
    # the member view shows it
    from loyalty_desk.services.members.service import MemberService

    view = MemberService(desk.context).view(member_no=desk.member)
    assert (view.held_points, view.available_balance) == (5_000, 15_000)
    [pending] = desk.service.for_member(member_no=desk.member)
    assert (pending.direction, pending.points, pending.status) == ("debit", 5_000, "pending")
    # a second debit may not go beyond what is left available
    with pytest.raises(ValidationError) as refused:
        desk.request(15_001, "debit", reason="CORRECTION", evidence="LE-882")
    assert refused.value.code == "adjust.beyond_available"
    desk.approve(filed.request_id, desk.supervisor)
    assert desk.balances() == (15_000, 0, 15_000)
    desk.invariants()


def test_rejected_request_posts_nothing_and_releases_the_hold(desk):
    filed = desk.request(3_000, "debit", reason="FRAUD_REVERSAL", evidence=None)
    with pytest.raises(ValidationError) as no_note:
        desk.service.reject(operation_id=desk.op(), request_id=filed.request_id, note="  ", session=desk.supervisor)
    assert no_note.value.code == "adjust.note_required"
    rejected = desk.service.reject(operation_id=desk.op(), request_id=filed.request_id, note="Not fraud: client confirmed", session=desk.supervisor)
    assert rejected.status == "rejected" and not rejected.posted
    assert desk.balances() == (20_000, 0, 20_000)
    assert desk.adjust_entries() == []
    with pytest.raises(DomainError) as again:
        desk.approve(filed.request_id, desk.supervisor2)
    assert again.value.code == "adjust.already_decided" and again.value.params["status"] == "rejected"


def test_cancelled_request_cannot_be_approved_and_only_the_maker_cancels(desk):
    filed = desk.request(2_000, "debit", reason="CORRECTION", evidence="LE-9")
    with pytest.raises(DomainError) as not_maker:
        desk.service.cancel(operation_id=desk.op(), session=desk.supervisor, request_id=filed.request_id)
    assert not_maker.value.code == "adjust.cancel_not_maker"
    cancelled = desk.service.cancel(operation_id=desk.op(), session=desk.officer, request_id=filed.request_id)
    assert cancelled.status == "cancelled" and desk.balances() == (20_000, 0, 20_000)
    with pytest.raises(DomainError) as refused:
        desk.approve(filed.request_id, desk.supervisor)
    assert refused.value.code == "adjust.already_decided" and refused.value.params["status"] == "cancelled"
    assert desk.adjust_entries() == []


def test_request_expires_after_72_hours_and_the_sweep_is_idempotent(desk):
    filed = desk.request(4_000, "debit", reason="CORRECTION", evidence="LE-1")
    desk.store.clock.advance(hours=71, minutes=59)
    assert desk.service.expire_due().expired == 0
    desk.store.clock.advance(minutes=1)
    with pytest.raises(DomainError) as late:  # past its time even before the sweep ran
        desk.approve(filed.request_id, desk.supervisor)
    assert late.value.code == "adjust.expired"
    sweep = desk.service.expire_due()
    assert (sweep.expired, sweep.points_released) == (1, 4_000)
    assert desk.service.expire_due().expired == 0  # the rerun finds nothing
    assert desk.balances() == (20_000, 0, 20_000)
    with pytest.raises(DomainError) as after:
        desk.approve(filed.request_id, desk.supervisor)
    assert after.value.code == "adjust.already_decided" and after.value.params["status"] == "expired"
    [row] = desk.audit("adjustment.expire")
    assert row.actor == "system" and row.before["held_points"] == 4_000 and row.after == {**row.after, "status": "expired", "held_points": 0}


# ---------------------------------------------------------------------------- who may approve


def test_the_maker_cannot_approve_their_own_request(desk):
    filed = desk.request(1_000, who=desk.supervisor)  # supervisors may request too
    with pytest.raises(DomainError) as own:
        desk.approve(filed.request_id, desk.supervisor)
    assert own.value.code == "adjust.own_request"
    with pytest.raises(DomainError) as own_at_desk:
        desk.service.approve(operation_id=desk.op(), request_id=filed.request_id, approver_username="super.bj",
                             approver_password=DEFAULT_PASSWORD)
    assert own_at_desk.value.code == "adjust.own_request"
    assert desk.adjust_entries() == []
    desk.approve(filed.request_id, desk.supervisor2)
    assert len(desk.adjust_entries()) == 1


def test_supervisor_of_another_branch_cannot_but_head_office_can(desk):
    filed = desk.request(1_000)
    with pytest.raises(DomainError) as other:
        desk.approve(filed.request_id, desk.other_branch_supervisor)
    assert other.value.code == "adjust.other_branch"
    assert desk.approve(filed.request_id, desk.hq_supervisor).posted


def test_officer_signing_in_at_the_desk_is_refused_as_not_a_supervisor(desk):
    filed = desk.request(1_000)
    add_staff(desk.context, username="officer.bj2", role="officer")
    with pytest.raises(DomainError) as refused:
        desk.service.approve(operation_id=desk.op(), request_id=filed.request_id, approver_username="officer.bj2",
                             approver_password=DEFAULT_PASSWORD)
    assert refused.value.code == "adjust.not_supervisor"
    with pytest.raises(DomainError) as wrong:
        desk.service.approve(operation_id=desk.op(), request_id=filed.request_id, approver_username="super.bj", approver_password="nope")
    assert wrong.value.code == "auth.invalid_credentials"
    ok = desk.service.approve(operation_id=desk.op(), request_id=filed.request_id, approver_username="super.bj",
                              approver_password=DEFAULT_PASSWORD, note="seen the receipt")
    assert ok.posted


def test_deactivated_supervisor_cannot_approve(desk):
    filed = desk.request(1_000)
    StaffAdminService(desk.context).deactivate(session=desk.admin, username="super.bj")
    with pytest.raises(DomainError) as refused:
        desk.approve(filed.request_id, desk.supervisor)  # a session opened before the deactivation
    assert refused.value.code == "adjust.inactive_approver"


def test_fifty_thousand_or_more_needs_two_different_supervisors(desk):
    post_earning(desk.context, desk.member, 100_000, on=date(2026, 5, 2))
    filed = desk.request(50_000, "debit", reason="CORRECTION", evidence="LE-77")
    assert filed.approvals_needed == 2
    first = desk.approve(filed.request_id, desk.supervisor)
    assert (first.status, first.approvals, first.posted) == ("pending", 1, False)
    assert desk.balances() == (120_000, 50_000, 70_000)
    with pytest.raises(DomainError) as same:
        desk.approve(filed.request_id, desk.supervisor)
    assert same.value.code == "adjust.second_approver_same"
    second = desk.approve(filed.request_id, desk.hq_supervisor)
    assert (second.status, second.approvals, second.posted) == ("approved", 2, True)
    assert desk.balances() == (70_000, 0, 70_000)
    [view] = desk.service.queue(session=desk.hq_supervisor, filters=QueueFilter(statuses=("approved",)))
    assert set(view.approvers) == {"super.bj", "super.hq"}
    small = desk.request(49_999, reason="GOODWILL" if False else "SERVICE_RECOVERY", evidence="CMP-1")
    assert small.approvals_needed == 1
    desk.invariants()


def test_racing_approvals_on_a_sqlite_file_post_once(desk, tmp_path):
    """Two desks (separate engines on the same file) approve the same request at the same moment."""
    from loyalty_desk.bootstrap import build_services

    filed = desk.request(7_000)
    desks = [build_services(tmp_path / "store", desk_name=f"desk-{n}", clock=desk.store.clock) for n in (1, 2)]
    approvers = [desk.supervisor, desk.supervisor2]
    for services, approver in zip(desks, approvers, strict=True):
        carry_sign_ins(desk.store.context, services, approver)
    barrier = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def approve(n: int) -> None:
        barrier.wait()
        try:
            outcomes[n] = desks[n].adjustments.approve(operation_id=desk.op(), request_id=filed.request_id, session=approvers[n])
        except DomainError as error:
            outcomes[n] = error

    threads = [threading.Thread(target=approve, args=(n,)) for n in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for services in desks:
        services.close()
    posted = [o for o in outcomes if not isinstance(o, DomainError)]
    refused = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(posted) == 1 and posted[0].posted
    assert len(refused) == 1 and refused[0].code == "adjust.already_decided"
    assert len(desk.adjust_entries()) == 1
    assert desk.balances() == (27_000, 0, 27_000)
    desk.invariants()


def test_same_operation_id_replays_instead_of_posting_twice(desk):
    filed = desk.request(1_000)
    op = desk.op()
    first = desk.service.approve(operation_id=op, request_id=filed.request_id, session=desk.supervisor)
    again = desk.service.approve(operation_id=op, request_id=filed.request_id, session=desk.supervisor)
    assert first.posted and again.replayed and again.status == "approved"
    assert len(desk.adjust_entries()) == 1


# ---------------------------------------------------------------------------- rules and roles


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"points": 5_001, "reason": "GOODWILL", "evidence": None}, "adjust.goodwill_max"),
        ({"points": 100, "direction": "credit", "reason": "FRAUD_REVERSAL", "evidence": None}, "adjust.debit_only"),
        ({"points": 100, "reason": "MISSING_POINTS", "evidence": ""}, "adjust.evidence_required"),
        ({"points": 20_001, "direction": "debit", "reason": "CORRECTION", "evidence": "LE"}, "adjust.beyond_available"),
        ({"points": 0}, "adjust.points"),
    ],
)
def test_rule_limits_are_enforced_by_the_service(desk, kwargs, code):
    with pytest.raises(ValidationError) as refused:
        desk.request(**kwargs)
    assert refused.value.code == code
    assert desk.audit() == []


def test_roles_auditor_cannot_request_admin_cannot_approve_officer_cannot_see_queue(desk):
    with pytest.raises(Forbidden):
        desk.request(1_000, who=desk.auditor)
    filed = desk.request(1_000)
    with pytest.raises(Forbidden):
        desk.approve(filed.request_id, desk.admin)
    with pytest.raises(Forbidden):
        desk.service.queue(session=desk.officer)
    assert desk.service.pending_count(session=desk.officer) == 0
    assert len(desk.service.queue(session=desk.auditor)) == 1  # auditors read everything
    # admin signing in at the desk: the handler refuses too
    with pytest.raises(DomainError) as at_desk:
        desk.service.approve(operation_id=desk.op(), request_id=filed.request_id, approver_username="admin", approver_password=DEFAULT_PASSWORD)
    assert at_desk.value.code == "adjust.not_supervisor"


def test_queue_scope_filters_sort_and_badge_count(desk):
    other = add_member(desk.context, name="王芳", branch_code="SH01")
    post_earning(desk.context, other, 9_000, on=date(2026, 5, 1))
    sh_officer = add_staff(desk.context, username="officer.sh", role="officer", branch_code="SH01")
    a = desk.request(1_000)
    desk.store.clock.advance(hours=2)
    b = desk.request(3_000, "debit", reason="CORRECTION", evidence="LE-3")
    c = desk.request(500, who=sh_officer, member=other)
    bj = desk.service.queue(session=desk.supervisor)
    assert [v.request_id for v in bj] == [a.request_id, b.request_id]  # oldest first
    assert bj[0].age_minutes == 120 and bj[0].maker_username == "officer.bj" and bj[0].evidence_ref == "TXN-2026-0042"
    assert [v.request_id for v in desk.service.queue(session=desk.supervisor, sort="points", descending=True)] == [b.request_id, a.request_id]
    assert [v.request_id for v in desk.service.queue(session=desk.supervisor, filters=QueueFilter(direction="debit"))] == [b.request_id]
    assert desk.service.pending_count(session=desk.supervisor) == 2
    assert desk.service.pending_count(session=desk.other_branch_supervisor) == 1
    assert desk.service.pending_count(session=desk.hq_supervisor) == 3
    assert {v.request_id for v in desk.service.queue(session=desk.hq_supervisor)} == {a.request_id, b.request_id, c.request_id}


def test_every_step_leaves_an_audit_row_with_who_what_before_after(desk):
    post_earning(desk.context, desk.member, 60_000, on=date(2026, 5, 2))
    big = desk.request(50_000, "debit", reason="CORRECTION", evidence="LE-5")
    desk.approve(big.request_id, desk.supervisor)
    desk.approve(big.request_id, desk.hq_supervisor)
    small = desk.request(100, reason="GOODWILL", evidence=None)
    desk.service.reject(operation_id=desk.op(), request_id=small.request_id, note="no complaint on file", session=desk.supervisor)
    third = desk.request(200, reason="GOODWILL", evidence=None)
    desk.service.cancel(operation_id=desk.op(), session=desk.officer, request_id=third.request_id)
    rows = desk.audit()
    assert [(r.action, r.actor) for r in rows] == [
        ("adjustment.request", "officer.bj"),
        ("adjustment.approve", "super.bj"),
        ("adjustment.approve", "super.hq"),
        ("adjustment.request", "officer.bj"),
        ("adjustment.reject", "super.bj"),
        ("adjustment.request", "officer.bj"),
        ("adjustment.cancel", "officer.bj"),
    ]
    for row in rows:
        assert row.before is not None and row.after is not None and row.member_no == desk.member
        assert row.entity == "adjustment_request" and row.details["operation_id"]
    request_row, first, second = rows[0], rows[1], rows[2]
    assert request_row.before["available"] == 80_000 and request_row.after["available"] == 30_000
    assert (first.before["status"], first.after["status"], first.after["approvals"]) == ("pending", "pending", 1)
    assert (second.after["status"], second.after["posted_balance"], second.after["held_points"]) == ("approved", 30_000, 0)
    assert rows[4].after["status"] == "rejected" and rows[6].after["status"] == "cancelled"
    assert AuditService(desk.context.uow).verify().ok


# ---------------------------------------------------------------------------- staff administration


def test_staff_admin_create_reset_deactivate_unlock_all_audited(desk):
    admin = StaffAdminService(desk.context)
    auth = AuthService(desk.context)
    with pytest.raises(Forbidden):
        admin.create(session=desk.supervisor, username="new.one", display_name="新人", role="officer", branch_code="BJ01", initial_password="Start123x")
    with pytest.raises(ValidationError) as weak:
        admin.create(session=desk.admin, username="new.one", display_name="新人", role="officer", branch_code="BJ01", initial_password="short")
    assert weak.value.code == "staff.password_weak"
    created = admin.create(session=desk.admin, username="new.one", display_name="新人", role="officer", branch_code="BJ01", initial_password="Start123x")
    assert created.must_change_password
    assert auth.sign_in(username="new.one", password="Start123x").must_change_password
    for _ in range(5):
        with pytest.raises(DomainError):
            auth.sign_in(username="new.one", password="wrong-password")
    with pytest.raises(DomainError) as scope:
        admin.unlock(session=desk.other_branch_supervisor, username="new.one")
    assert scope.value.code == "staff.unlock_scope"
    admin.unlock(session=desk.supervisor, username="new.one")
    auth.sign_in(username="new.one", password="Start123x")
    admin.reset_password(session=desk.admin, username="new.one", new_password="Temp4567y")
    assert auth.sign_in(username="new.one", password="Temp4567y").must_change_password
    admin.deactivate(session=desk.admin, username="new.one")
    with pytest.raises(DomainError) as inactive:
        auth.sign_in(username="new.one", password="Temp4567y")
    assert inactive.value.code == "auth.inactive"
    rows = desk.audit("staff.")
    assert [(r.action, r.actor) for r in rows] == [
        ("staff.create", "admin"), ("staff.unlock", "super.bj"), ("staff.reset_password", "admin"), ("staff.deactivate", "admin"),
    ]
    assert rows[1].before["locked_until"] is not None and rows[1].after["locked_until"] is None
    assert rows[3].before["active"] is True and rows[3].after["active"] is False
    assert all("password_hash" not in (r.after or {}) for r in rows)


# ---------------------------------------------------------------------------- audit viewer


def test_audit_viewer_filters_verify_and_export(desk, tmp_path):
    from openpyxl import load_workbook
    from sqlalchemy import text

    from loyalty_desk.services.audit_viewer import AuditFilter, AuditViewerService

    viewer = AuditViewerService(desk.context, AuditService(desk.context.uow, desk.store.clock))
    filed = desk.request(1_000)
    desk.approve(filed.request_id, desk.supervisor)
    with pytest.raises(Forbidden):
        viewer.search(session=desk.officer)
    page = viewer.search(session=desk.auditor, filters=AuditFilter(action="adjustment.", member_no=desk.member))
    assert page.total == 2 and [r.action for r in page.rows] == ["adjustment.approve", "adjustment.request"]
    assert viewer.search(session=desk.auditor, filters=AuditFilter(actor="super.bj")).total == 1
    assert viewer.search(session=desk.auditor, filters=AuditFilter(date_from=date(2026, 6, 11))).total == 0
    out = tmp_path / "trail.xlsx"
    assert viewer.export(session=desk.auditor, filters=AuditFilter(action="adjustment."), path=out) == 2
    sheet = load_workbook(out, read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][0] == "ID" and {values[2][5], values[3][5]} == {"adjustment.request", "adjustment.approve"}
    assert viewer.search(session=desk.auditor, filters=AuditFilter(action="audit.export")).total == 1
    assert viewer.verify(session=desk.auditor).ok
    with desk.store.database.write_engine.begin() as connection:
        connection.execute(text("UPDATE audit_event SET actor = 'someone.else' WHERE action = 'adjustment.approve'"))
        bad_id = connection.execute(text("SELECT id FROM audit_event WHERE action = 'adjustment.approve'")).scalar()
    result = viewer.verify(session=desk.auditor)
    assert (result.ok, result.first_bad_row, result.problem) == (False, bad_id, "hash_mismatch")


# ---------------------------------------------------------------------------- command line


def _cli(desk_dir: Path, monkeypatch, capsys, *args: str, password: str = DEFAULT_PASSWORD) -> tuple[int, str, str]:
    from loyalty_desk.cli.main import main

    monkeypatch.setenv("LOYALTY_DESK_PASSWORD", password)
    code = main(["--data-dir", str(desk_dir), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_list_approve_reject_and_maker_refused(desk, tmp_path, monkeypatch, capsys):
    desk.store.clock.now = utc_now()  # the command line runs on the real clock
    own = desk.request(1_000, who=desk.supervisor)
    other = desk.request(2_000, "debit", reason="CORRECTION", evidence="LE-2")
    store_dir = tmp_path / "store"
    code, out, _ = _cli(store_dir, monkeypatch, capsys, "approvals", "list", "--user", "super.bj2")
    assert code == 0 and f"#{own.request_id}" in out and "debit" in out
    code, out, _ = _cli(store_dir, monkeypatch, capsys, "approvals", "list", "--json", "--user", "super.bj2")
    import json

    assert {row["request_id"] for row in json.loads(out)} == {own.request_id, other.request_id}
    code, _, err = _cli(store_dir, monkeypatch, capsys, "approvals", "approve", str(own.request_id), "--user", "super.bj")
    assert code == 1 and "cannot approve" in err and "Traceback" not in err
    code, out, _ = _cli(store_dir, monkeypatch, capsys, "approvals", "approve", str(own.request_id), "--user", "super.bj2")
    assert code == 0 and "approved" in out
    with pytest.raises(SystemExit) as usage:  # --note is required
        _cli(store_dir, monkeypatch, capsys, "approvals", "reject", str(other.request_id), "--user", "super.bj2")
    assert usage.value.code == 2
    code, out, _ = _cli(store_dir, monkeypatch, capsys, "approvals", "reject", str(other.request_id), "--note", "duplicate request", "--user", "super.bj2")
    assert code == 0 and "rejected" in out
    code, _, err = _cli(store_dir, monkeypatch, capsys, "approvals", "list", "--user", "officer.bj")
    assert code == 1 and "may not" in err


def test_cli_import_adjustments_checks_every_row_and_files_once(desk, tmp_path, monkeypatch, capsys):
    desk.store.clock.now = utc_now()
    second = add_member(desk.context, name="李雷")
    good = tmp_path / "adjust.csv"
    with good.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["member_no", "points", "reason_code", "memo", "evidence_ref"])
        writer.writerow([desk.member, "1500", "MISSING_POINTS", "Campaign bonus not credited in May", "TXN-1"])
        writer.writerow([desk.member, "-500", "FRAUD_REVERSAL", "Points earned on a disputed charge", ""])
        writer.writerow([second, "300", "GOODWILL", "Branch queue took over an hour", ""])
    bad = tmp_path / "bad.csv"
    with bad.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["member_no", "points", "reason_code", "memo", "evidence_ref"])
        writer.writerow([desk.member, "9000", "GOODWILL", "too generous goodwill", ""])
        writer.writerow(["M0000000000", "10", "MISSING_POINTS", "short", ""])
        writer.writerow([second, "-10", "GOODWILL", "Debit with no balance at all", ""])
    store_dir = tmp_path / "store"
    code, _, err = _cli(store_dir, monkeypatch, capsys, "import", "adjustments", str(bad), "--user", "officer.bj")
    assert code == 1 and "row 2, column points" in err and "row 4, column points" in err and (tmp_path / "bad.errors.xlsx").exists()
    assert desk.service.queue(session=desk.supervisor) == ()
    code, out, _ = _cli(store_dir, monkeypatch, capsys, "import", "adjustments", str(good), "--user", "officer.bj")
    assert code == 0 and "3 request(s) filed" in out
    code, out, _ = _cli(store_dir, monkeypatch, capsys, "import", "adjustments", str(good), "--user", "officer.bj")
    assert code == 0 and "0 request(s) filed" in out and "3 already" in out
    queue = desk.service.queue(session=desk.supervisor, sort="points")
    assert sorted(v.signed_points for v in queue) == [-500, 300, 1_500]
    assert desk.balances() == (20_000, 500, 19_500)


def test_cli_staff_commands(desk, tmp_path, monkeypatch, capsys):
    store_dir = tmp_path / "store"
    monkeypatch.setenv("LOYALTY_DESK_NEW_PASSWORD", "Start123x")
    code, out, err = _cli(store_dir, monkeypatch, capsys, "staff", "add", "new.one", "--name", "新人", "--role", "officer",
                          "--branch", "BJ01", "--user", "admin")
    assert code == 0 and "new.one" in out, err
    code, _, err = _cli(store_dir, monkeypatch, capsys, "staff", "deactivate", "new.one", "--user", "super.bj")
    assert code == 1 and "may not" in err
    code, out, _ = _cli(store_dir, monkeypatch, capsys, "staff", "deactivate", "new.one", "--user", "admin")
    assert code == 0

