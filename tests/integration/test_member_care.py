"""Member maintenance (freeze, unfreeze, change mobile) through the service and the operation runner on
a SQLite store: what a freeze refuses (redemption, referring, credits), who may freeze and lift it,
bad input that changes nothing, idempotency on the operation id, the audit's before and after."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from factories import LocalStore, add_branch, add_member, add_staff, open_store, post_earning
from referral_support import open_referral_desk
from sqlalchemy import text

from loyalty_desk.domain.errors import Conflict, DomainError, Forbidden, ValidationError
from loyalty_desk.messages import describe
from loyalty_desk.services.adjustments.service import AdjustmentService
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.handlers import operation_runner
from loyalty_desk.services.member_care import MemberCareService
from loyalty_desk.services.members.service import MemberService
from loyalty_desk.services.redemption.service import RedemptionService

START = datetime(2026, 6, 10, 9, 0)


@dataclass
class Desk:
    store: LocalStore
    care: MemberCareService
    redemption: RedemptionService
    adjustments: AdjustmentService
    officer: StaffSession
    supervisor: StaffSession
    admin: StaffSession
    auditor: StaffSession
    member: str
    other: str

    def freeze(self, reason: str = "lost_card", note: str = "Card reported stolen by phone", *, who: StaffSession | None = None,
               op: str | None = None, member: str | None = None):
        return self.care.freeze(operation_id=op or self.care.new_operation_id(), session=who or self.officer, member_no=member or self.member,
                                reason=reason, note=note)

    def unfreeze(self, note: str = "New card issued, identity checked", *, who: StaffSession | None = None, op: str | None = None):
        return self.care.unfreeze(operation_id=op or self.care.new_operation_id(), session=who or self.supervisor, member_no=self.member,
                                  note=note)

    def change_mobile(self, mobile: str, note: str = "Signed change form 2026-06", *, who: StaffSession | None = None, op: str | None = None):
        return self.care.change_mobile(operation_id=op or self.care.new_operation_id(), session=who or self.officer, member_no=self.member,
                                       mobile=mobile, note=note)

    def redeem(self):
        return self.redemption.redeem(operation_id=self.redemption.new_operation_id(), session=self.officer, member_no=self.member,
                                      reward_code="T100", qty=1)

    def row(self, member_no: str | None = None):
        with self.store.context.uow() as uow:
            m = uow.members.by_no(member_no or self.member)
            return (m.status, m.freeze_reason, m.freeze_note, m.frozen_by, m.mobile, m.mobile_last4, m.posted_balance)

    def audit(self, prefix: str = "member."):
        with self.store.context.uow() as uow:
            _, rows = uow.audit.search(action=prefix, limit=100)
            return [(r.action, r.actor, r.before, r.after) for r in reversed(rows)]

    def operations(self) -> int:
        with self.store.database.read_engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM operation")).scalar_one()


@pytest.fixture
def desk(tmp_path: Path):
    store = open_store(tmp_path / "store", now=START)
    add_branch(store.context, code="HQ01", name_zh="总行营业部", name_en="Head Office", head_office=True)
    add_branch(store.context, code="BJ01")
    runner = operation_runner(store.context)
    member = add_member(store.context, name="张伟", mobile="13800001111")
    other = add_member(store.context, name="李娜", mobile="13900002222")
    post_earning(store.context, member, 5_000, on=date(2026, 5, 1))
    opened = Desk(
        store, MemberCareService(store.context, runner), RedemptionService(store.context, runner), AdjustmentService(store.context, runner),
        officer=add_staff(store.context, username="officer.bj", role="officer", display_name="王芳"),
        supervisor=add_staff(store.context, username="super.bj", role="supervisor", display_name="李强"),
        admin=add_staff(store.context, username="admin.hq", role="admin", branch_code="HQ01"),
        auditor=add_staff(store.context, username="auditor.hq", role="auditor", branch_code="HQ01"),
        member=member, other=other,
    )
    opened.redemption.upsert_reward(session=opened.admin, code="T100", points_cost=100, name_zh="测试礼品", name_en="Test reward",
                                    category="voucher", cash_value="1.00")
    yield opened
    store.close()


def test_a_freeze_stops_redemption_with_its_reason_and_unfreezing_allows_it_again(desk):
    frozen = desk.freeze("suspected_fraud", "Unusual redemptions at two branches")
    assert (frozen.status, frozen.freeze_reason, frozen.replayed) == ("frozen", "suspected_fraud", False)
    assert desk.row()[:4] == ("frozen", "suspected_fraud", "Unusual redemptions at two branches", "officer.bj")
    with pytest.raises(DomainError) as refused:
        desk.redeem()
    assert refused.value.code == "member.frozen"
    assert refused.value.params["freeze_reason"] == "suspected_fraud"
    assert "Suspected fraud" in describe(refused.value)
    assert desk.row()[6] == 5_000  # nothing taken
    # the catalogue says so before the officer confirms
    offer = next(o for o in desk.redemption.catalogue(branch_code="BJ01", member_no=desk.member) if o.code == "T100")
    assert [b.code for b in offer.blocks] == ["member.frozen"]

    lifted = desk.unfreeze()
    assert (lifted.status, lifted.freeze_reason) == ("active", None)
    assert desk.row()[:4] == ("active", None, None, None)
    desk.redeem()
    assert desk.row()[6] == 4_900


def test_the_member_view_shows_the_freeze_with_who_and_why(desk):
    desk.freeze("deceased", "Death certificate presented by the family")
    view = MemberService(desk.store.context).view(member_no=desk.member)
    assert view.status == "frozen"
    assert (view.freeze.reason, view.freeze.note, view.freeze.frozen_by, view.freeze.frozen_at) == (
        "deceased", "Death certificate presented by the family", "王芳", START)
    desk.unfreeze()
    assert MemberService(desk.store.context).view(member_no=desk.member).freeze is None


def test_officers_freeze_only_supervisors_lift_and_others_do_neither(desk):
    for who in (desk.admin, desk.auditor):
        with pytest.raises(Forbidden):
            desk.freeze(who=who)
    desk.freeze(who=desk.officer)
    with pytest.raises(Forbidden) as refused:
        desk.unfreeze(who=desk.officer)
    assert refused.value.params["permission"] == "member.unfreeze"
    assert desk.row()[0] == "frozen"
    desk.unfreeze(who=desk.supervisor)
    desk.freeze(who=desk.supervisor)
    assert desk.row()[3] == "super.bj"


def test_the_same_operation_id_freezes_once_and_another_payload_is_refused(desk):
    op = desk.care.new_operation_id()
    first = desk.freeze(op=op)
    again = desk.freeze(op=op)
    assert again.replayed and (again.status, again.freeze_reason) == (first.status, first.freeze_reason)
    assert [a[0] for a in desk.audit()] == ["member.freeze"]
    with pytest.raises(Conflict):
        desk.freeze("suspected_fraud", op=op)
    # a second freeze under a new id is refused: the member is frozen already
    with pytest.raises(DomainError) as refused:
        desk.freeze()
    assert refused.value.code == "member.already_frozen"


@pytest.mark.parametrize(("reason", "note", "code", "field"), [
    ("lost_wallet", "Card reported stolen by phone", "member.freeze_reason", "reason_code"),
    ("", "Card reported stolen by phone", "member.freeze_reason", "reason_code"),
    ("lost_card", "", "identity.required", "note"),
    ("lost_card", "lost", "identity.length_range", "note"),
    ("lost_card", "x" * 501, "identity.length_range", "note"),
    ("lost_card", "=HYPERLINK(\"x\")", "identity.formula_start", "note"),
    ("lost_card", "card <b>stolen</b>", "identity.markup", "note"),
])
def test_bad_freeze_input_is_refused_at_its_field_and_changes_nothing(desk, reason, note, code, field):
    before, operations = desk.row(), desk.operations()
    with pytest.raises(ValidationError) as refused:
        desk.freeze(reason, note)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert desk.row() == before and desk.operations() == operations and desk.audit() == []


def test_lifting_needs_a_frozen_member_and_a_note(desk):
    with pytest.raises(DomainError) as refused:
        desk.unfreeze()
    assert (refused.value.code, refused.value.params["status"]) == ("member.not_frozen", "active")
    desk.freeze()
    with pytest.raises(ValidationError) as short:
        desk.unfreeze("ok")
    assert short.value.field == "note"
    assert desk.row()[0] == "frozen"


def test_a_frozen_member_gets_no_credit_adjustment_but_a_debit_goes_ahead(desk):
    pending = desk.adjustments.request(operation_id=desk.care.new_operation_id(), session=desk.officer, member_no=desk.member,
                                       direction="credit", points=300, reason_code="GOODWILL", memo="Complaint about waiting time")
    desk.freeze("suspected_fraud", "Points farming under investigation")
    with pytest.raises(DomainError) as refused:
        desk.adjustments.request(operation_id=desk.care.new_operation_id(), session=desk.officer, member_no=desk.member,
                                 direction="credit", points=300, reason_code="GOODWILL", memo="Complaint about waiting time")
    assert (refused.value.code, refused.value.params["action"]) == ("member.frozen", "credit")
    # a credit requested before the freeze cannot be approved while it stands
    with pytest.raises(DomainError) as approval:
        desk.adjustments.approve(operation_id=desk.care.new_operation_id(), request_id=pending.request_id, note="ok",
                                 session=desk.supervisor)
    assert approval.value.code == "member.frozen"
    assert desk.row()[6] == 5_000
    debit = desk.adjustments.request(operation_id=desk.care.new_operation_id(), session=desk.officer, member_no=desk.member,
                                     direction="debit", points=1_000, reason_code="FRAUD_REVERSAL", memo="Points farming reversed",
                                     evidence_ref="CASE-77")
    assert debit.status == "pending"


def test_a_frozen_member_cannot_refer(tmp_path):
    desk = open_referral_desk(tmp_path / "store")
    try:
        care = MemberCareService(desk.context, operation_runner(desk.context))
        care.freeze(operation_id=care.new_operation_id(), session=desk.officer, member_no=desk.referrer, reason="identity_review",
                    note="Passport expired, new one awaited")
        with pytest.raises(DomainError) as refused:
            desk.register(name="陈静")
        errors = getattr(refused.value, "problems", None) or [refused.value]
        assert any(e.code == "member.frozen" and e.params["action"] == "refer" for e in errors)
    finally:
        desk.store.close()


def test_the_mobile_changes_with_the_old_one_kept_in_the_audit(desk):
    changed = desk.change_mobile("+86 139 1234 5678")
    assert changed.masked_mobile == "139****5678"
    assert desk.row()[4:6] == ("13912345678", "5678")
    [(action, actor, before, after)] = desk.audit()
    assert (action, actor, before, after) == ("member.change_mobile", "officer.bj", {"mobile": "13800001111"}, {"mobile": "13912345678"})


@pytest.mark.parametrize(("mobile", "code"), [
    ("1380000111", "identity.mobile_format"),
    ("23800001111", "identity.mobile_format"),
    ("1380000111x", "identity.characters"),
    ("13800001111", "member.same_mobile"),
    ("13900002222", "member.mobile_taken"),
])
def test_a_bad_or_taken_mobile_is_refused_at_the_field_and_changes_nothing(desk, mobile, code):
    before, operations = desk.row(), desk.operations()
    with pytest.raises(ValidationError) as refused:
        desk.change_mobile(mobile)
    assert (refused.value.code, refused.value.field) == (code, "mobile")
    if code == "member.mobile_taken":
        assert refused.value.params["member_no"] == desk.other
        assert desk.other in describe(refused.value)
    assert desk.row() == before and desk.operations() == operations and desk.audit() == []


def test_only_counter_staff_change_a_mobile(desk):
    for who in (desk.admin, desk.auditor):
        with pytest.raises(Forbidden):
            desk.change_mobile("13912345678", who=who)
    assert desk.row()[4] == "13800001111"


def test_form_problems_name_every_bad_field_at_once(desk):
    problems = desk.care.form_problems(reason="x", note="", mobile="12")
    assert [(p.code, p.params["field"]) for p in problems] == [
        ("member.freeze_reason", "reason_code"), ("identity.required", "note"), ("identity.mobile_format", "mobile")]
    assert desk.care.form_problems(reason="lost_card", note="Card reported stolen") == []


def test_the_command_line_freezes_shows_lifts_and_changes_the_mobile(tmp_path, capsys, monkeypatch):
    from factories import DEFAULT_PASSWORD

    from loyalty_desk.cli.common import PASSWORD_ENV
    from loyalty_desk.cli.main import main

    folder = tmp_path / "store"
    store = open_store(folder, now=START)
    add_branch(store.context)
    add_staff(store.context, username="officer.bj", role="officer")
    add_staff(store.context, username="super.bj", role="supervisor")
    member_no = add_member(store.context, name="张伟", mobile="13800001111")
    store.close()
    monkeypatch.setenv(PASSWORD_ENV, DEFAULT_PASSWORD)

    def run(*args: str) -> tuple[int, str]:
        code = main(["--data-dir", str(folder), "member", *args])
        out = capsys.readouterr()
        return code, out.out + out.err

    code, out = run("freeze", member_no, "--reason", "lost_card", "--note", "Card reported lost by phone", "--user", "officer.bj")
    assert code == 0 and f"Member {member_no} is frozen (lost_card)" in out
    code, out = run(member_no)
    assert code == 0 and "FROZEN (Lost or stolen card)" in out and "by officer.bj: Card reported lost by phone" in out
    code, out = run("unfreeze", member_no, "--note", "New card issued today", "--user", "officer.bj")
    assert code != 0 and "Your role may not lift a member's freeze" in out
    code, out = run("unfreeze", member_no, "--user", "super.bj")
    assert code != 0 and "--note" in out
    code, out = run("unfreeze", member_no, "--note", "New card issued today", "--user", "super.bj")
    assert code == 0 and "is active again" in out
    code, out = run("change-mobile", member_no, "--mobile", "13912345678", "--note", "Signed change form", "--user", "officer.bj")
    assert code == 0 and "mobile is now 139****5678" in out
    code, out = run("change-mobile", member_no, "--mobile", "13912345678", "--note", "Signed change form", "--user", "officer.bj")
    assert code != 0 and "this is already the member's mobile" in out


def test_a_refused_change_is_put_back_only_while_nothing_later_moved_it(desk):
    from types import SimpleNamespace

    from loyalty_desk.services.handlers import undo_refused

    first_id = desk.freeze().operation_id
    with desk.store.context.uow() as uow:
        assert uow.ledger.operation(first_id).result["undo"] == {
            "status": "active", "freeze_reason": None, "freeze_note": None, "frozen_at": None, "frozen_by": None}
    desk.unfreeze()
    second_id = desk.freeze("suspected_fraud", "Second look at the card activity").operation_id
    with desk.store.context.uow(write=True) as uow:
        first, second = uow.ledger.operation(first_id), uow.ledger.operation(second_id)
        assert not undo_refused(uow, first)  # a later freeze moved the fields
        not_maintenance = SimpleNamespace(kind="redeem", result=second.result, member_id=second.member_id, payload={})
        assert not undo_refused(uow, not_maintenance)
        uow.commit()
    assert desk.row()[:2] == ("frozen", "suspected_fraud")
    with desk.store.context.uow(write=True) as uow:
        assert undo_refused(uow, uow.ledger.operation(second_id))
        uow.commit()
    assert desk.row()[:4] == ("active", None, None, None)


def test_an_address_change_keeps_the_old_one_in_the_audit_and_refuses_bad_input(desk):
    with desk.store.context.uow(write=True) as uow:
        uow.members.by_no(desk.member).address = "北京市东城区东长安街1号"
        uow.commit()
    for address, code in (("", "identity.required"), ("=cmd|' /C calc'!A0", "identity.formula_start"), ("北京市 东城区东长安街1号 <b>", "identity.markup"),
                          ("北京市东城区东长安街1号", "member.same_address")):
        with pytest.raises(ValidationError) as refused:
            desk.care.change_address(operation_id=desk.care.new_operation_id(), session=desk.officer, member_no=desk.member, address=address,
                                     note="Signed change form")
        assert (refused.value.code, refused.value.params["field"]) == (code, "address"), address
    with pytest.raises(ValidationError):
        desk.care.change_address(operation_id=desk.care.new_operation_id(), session=desk.officer, member_no=desk.member,
                                 address="上海市浦东新区世纪大道100号", note="x")
    assert desk.operations() == 0
    done = desk.care.change_address(operation_id=desk.care.new_operation_id(), session=desk.officer, member_no=desk.member,
                                    address="上海市浦东新区世纪大道100号", note="Signed change form")
    assert done.member_no == desk.member
    with desk.store.context.uow() as uow:
        assert uow.members.by_no(desk.member).address == "上海市浦东新区世纪大道100号"
    [row] = [r for r in desk.audit() if r[0] == "member.change_address"]
    assert row[2] == {"address": "北京市东城区东长安街1号"} and row[3] == {"address": "上海市浦东新区世纪大道100号"}


def test_a_card_change_refuses_a_bad_same_or_taken_card_naming_its_holder(desk):
    from factories import card_for

    with desk.store.context.uow() as uow:
        old_card = uow.members.by_no(desk.member).card_no
        other_card = uow.members.by_no(desk.other).card_no

    def change(card_no: str, note: str = "Card reported lost by phone"):
        return desk.care.change_card(operation_id=desk.care.new_operation_id(), session=desk.officer, member_no=desk.member, card_no=card_no,
                                     note=note)

    for card_no, code in (("1234", "identity.length"), ("6222 0212 3456 7890", "identity.check_digit"), (old_card, "member.same_card")):
        with pytest.raises(ValidationError) as refused:
            change(card_no)
        assert (refused.value.code, refused.value.params["field"]) == (code, "card_no"), card_no
    with pytest.raises(ValidationError) as taken:
        change(other_card)
    assert (taken.value.code, taken.value.params["member_no"]) == ("member.identity_taken", desk.other)
    assert desk.operations() == 0
    new_card = card_for(555_123)
    done = change(new_card)
    assert done.masked_card.endswith(new_card[-4:])
    with desk.store.context.uow() as uow:
        assert uow.members.by_no(desk.member).card_no == new_card
    [row] = [r for r in desk.audit() if r[0] == "member.change_card"]
    assert row[2] == {"card_no": old_card} and row[3] == {"card_no": new_card}


def test_a_closed_members_address_and_card_are_not_changed(desk):
    from factories import card_for

    with desk.store.context.uow(write=True) as uow:
        uow.members.by_no(desk.member).status = "closed"
        uow.commit()
    with pytest.raises(DomainError) as closed:
        desk.care.change_card(operation_id=desk.care.new_operation_id(), session=desk.officer, member_no=desk.member, card_no=card_for(555_124),
                              note="Card reported lost by phone")
    assert closed.value.code == "member.closed"
    with pytest.raises(DomainError):
        desk.care.change_address(operation_id=desk.care.new_operation_id(), session=desk.officer, member_no=desk.member,
                                 address="上海市浦东新区世纪大道100号", note="Signed change form")


def test_the_command_line_changes_the_address_and_the_card(tmp_path, capsys, monkeypatch):
    from factories import DEFAULT_PASSWORD, card_for

    from loyalty_desk.cli.common import PASSWORD_ENV
    from loyalty_desk.cli.main import main

    folder = tmp_path / "store"
    store = open_store(folder, now=START)
    add_branch(store.context)
    add_staff(store.context, username="officer.bj", role="officer")
    member_no = add_member(store.context, name="张伟", mobile="13800001111")
    store.close()
    monkeypatch.setenv(PASSWORD_ENV, DEFAULT_PASSWORD)

    def run(*args: str) -> tuple[int, str]:
        code = main(["--data-dir", str(folder), "member", *args])
        out = capsys.readouterr()
        return code, out.out + out.err

    code, out = run("change-address", member_no, "--note", "Signed change form", "--user", "officer.bj")
    assert code != 0 and "--address" in out
    code, out = run("change-address", member_no, "--address", "上海市浦东新区世纪大道100号", "--note", "Signed change form", "--user", "officer.bj")
    assert code == 0 and "address is changed" in out
    code, out = run("change-card", member_no, "--card", "1234", "--note", "Card reported lost", "--user", "officer.bj")
    assert code != 0
    new_card = card_for(555_125)
    code, out = run("change-card", member_no, "--card", new_card, "--note", "Card reported lost", "--user", "officer.bj")
    assert code == 0 and f"card is now {new_card[:4]}" in out


def _close(desk, *, who=None, reward_code=None, qty=1, approver=None, password=None, op=None, note="Customer asked to close the account"):
    from factories import DEFAULT_PASSWORD

    return desk.care.close(operation_id=op or desk.care.new_operation_id(), session=who or desk.officer, member_no=desk.member, note=note,
                           reward_code=reward_code, qty=qty, approver_username=approver,
                           approver_password=password if password is not None else (DEFAULT_PASSWORD if approver else None))


def test_closing_with_points_left_needs_a_second_supervisor_and_forfeits_them(desk):
    preview = desk.care.closing_preview(member_no=desk.member)
    assert (preview.balance, preview.redeemed, preview.forfeited, preview.needs_approval) == (5_000, 0, 5_000, True)
    with pytest.raises(ValidationError) as unapproved:
        _close(desk)
    assert (unapproved.value.code, unapproved.value.params["field"]) == ("member.close_approver_required", "approved_by")
    # the maker cannot approve their own forfeit, nor can an officer or a wrong password
    with pytest.raises(DomainError) as same:
        _close(desk, who=desk.supervisor, approver="super.bj")
    assert same.value.code == "member.close_approver_same"
    second = add_staff(desk.store.context, username="officer2.bj", role="officer")
    with pytest.raises(DomainError) as officer:
        _close(desk, approver=second.username)
    assert officer.value.code == "member.close_approver_not_supervisor"
    with pytest.raises(DomainError):
        _close(desk, approver="super.bj", password="wrong-password-1")
    assert desk.row()[0] == "active" and desk.row()[6] == 5_000 and desk.operations() == 0

    closed = _close(desk, approver="super.bj")
    assert (closed.status, closed.forfeited, closed.redemption_number) == ("closed", 5_000, None)
    assert desk.row()[0] == "closed" and desk.row()[6] == 0
    [row] = [r for r in desk.audit() if r[0] == "member.close"]
    assert row[1] == "officer.bj" and row[2] == {"status": "active", "posted_balance": 5_000}
    with desk.store.context.uow() as uow:
        [operation] = list(uow.ledger.session.execute(text("SELECT signatures FROM operation WHERE kind = 'member.close'")).scalars())
    signatures = operation if isinstance(operation, list) else json.loads(operation)
    assert sorted(s["role"] for s in signatures) == ["approver", "maker"]


def test_closing_into_a_closing_redemption_needs_no_approval_when_nothing_is_left(desk):
    desk.redemption.upsert_reward(session=desk.admin, code="T5000", points_cost=5_000, name_zh="结清礼品", name_en="Closing reward",
                                  category="voucher", cash_value="50.00")
    preview = desk.care.closing_preview(member_no=desk.member, reward_code="T5000")
    assert (preview.redeemed, preview.forfeited, preview.needs_approval) == (5_000, 0, False)
    closed = _close(desk, reward_code="T5000")
    assert (closed.status, closed.forfeited) == ("closed", 0) and closed.redemption_number
    assert desk.row()[0] == "closed" and desk.row()[6] == 0
    with desk.store.context.uow() as uow:
        assert uow.ledger.session.execute(text("SELECT count(*) FROM redemption")).scalar_one() == 1


def test_a_closing_redemption_with_points_left_forfeits_the_rest_with_approval(desk):
    preview = desk.care.closing_preview(member_no=desk.member, reward_code="T100", qty=3)
    assert (preview.redeemed, preview.forfeited) == (300, 4_700)
    with pytest.raises(ValidationError):
        _close(desk, reward_code="T100", qty=3)
    closed = _close(desk, reward_code="T100", qty=3, approver="super.bj")
    assert (closed.forfeited, desk.row()[0], desk.row()[6]) == (4_700, "closed", 0)


def test_a_closed_member_cannot_redeem_earn_refer_or_be_changed(desk):
    from decimal import Decimal

    from loyalty_desk.domain.earning import EarningTxn
    from loyalty_desk.domain.rules import Source
    from loyalty_desk.services.audit import Actor
    from loyalty_desk.services.earning.service import EarningService

    _close(desk, approver="super.bj")
    with pytest.raises(DomainError) as redeem:
        desk.redeem()
    assert redeem.value.code in ("redeem.member_inactive", "member.account_closed")
    counts = EarningService(desk.store.context).post(
        txns=[EarningTxn(txn_id="T-CLOSED-1", member_no=desk.member, occurred_on=date(2026, 6, 9), source=Source.CARD_SPEND,
                         amount=Decimal("500.00"), product="")], origin="test", actor=Actor("test", "test-desk"))
    assert (counts.points, counts.no_points) == (0, 1) and desk.row()[6] == 0
    with pytest.raises(DomainError) as again:
        _close(desk)
    assert again.value.code == "member.closed"
    with pytest.raises(DomainError):
        desk.change_mobile("13912345678")


def test_the_command_line_closes_an_account_with_the_forfeit_approved(tmp_path, capsys, monkeypatch):
    from factories import DEFAULT_PASSWORD

    from loyalty_desk.cli.common import APPROVER_PASSWORD_ENV, PASSWORD_ENV
    from loyalty_desk.cli.main import main

    folder = tmp_path / "store"
    store = open_store(folder, now=START)
    add_branch(store.context)
    add_staff(store.context, username="officer.bj", role="officer")
    add_staff(store.context, username="super.bj", role="supervisor")
    member_no = add_member(store.context, name="张伟", mobile="13800001111")
    post_earning(store.context, member_no, 1_200, on=date(2026, 5, 1))
    store.close()
    monkeypatch.setenv(PASSWORD_ENV, DEFAULT_PASSWORD)
    monkeypatch.setenv(APPROVER_PASSWORD_ENV, DEFAULT_PASSWORD)

    def run(*args: str) -> tuple[int, str]:
        code = main(["--data-dir", str(folder), "member", *args])
        out = capsys.readouterr()
        return code, out.out + out.err

    code, out = run("close", member_no, "--note", "Customer moved abroad", "--user", "officer.bj")
    assert code != 0 and "forfeits 1,200 points" in out and "--approver" in out
    code, out = run("close", member_no, "--note", "Customer moved abroad", "--user", "officer.bj", "--approver", "officer.bj")
    assert code != 0 and "cannot also approve" in out
    code, out = run("close", member_no, "--note", "Customer moved abroad", "--user", "officer.bj", "--approver", "super.bj")
    assert code == 0 and "account is closed; 1,200 points forfeited" in out
    code, out = run(member_no)
    assert code == 0 and "closed" in out
