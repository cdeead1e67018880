"""Enrolling a walk-in client at the desk (``member.enrol``) through the service and the operation
runner on a SQLite store: the identity rules of the member import at each field, all at once; an ID,
mobile or card another member holds refused naming that member; nothing written on a refusal; an
optional referral code that registers the referral; idempotency on the operation id; the audit."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from factories import LocalStore, add_branch, add_member, add_staff, card_for, open_store, resident_id_for
from sqlalchemy import text

from loyalty_desk.domain.errors import DomainError, Forbidden, ValidationError
from loyalty_desk.domain.identity import make_resident_id, mask_card
from loyalty_desk.messages import describe
from loyalty_desk.services.handlers import operation_runner
from loyalty_desk.services.members.enrolment import EnrolmentService
from loyalty_desk.services.members.service import MemberService
from loyalty_desk.services.referrals.records import referral_code_for

START = datetime(2026, 6, 10, 9, 0)
NEW_ID = make_resident_id("110105", date(1990, 3, 7), 123)
NEW_CARD = card_for(777_001)


@pytest.fixture
def desk(tmp_path: Path):
    store = open_store(tmp_path / "store", now=START)
    add_branch(store.context, code="HQ01", name_zh="总行营业部", name_en="Head Office", head_office=True)
    add_branch(store.context, code="BJ01")
    runner = operation_runner(store.context)
    holder = add_member(store.context, name="张伟", mobile="13800001111")
    with store.context.uow(write=True) as uow:
        uow.members.by_no(holder).referral_code = referral_code_for(holder)
        uow.commit()
    service = EnrolmentService(store.context, runner)
    officer = add_staff(store.context, username="officer.bj", role="officer", display_name="王芳")
    auditor = add_staff(store.context, username="auditor.hq", role="auditor", branch_code="HQ01")
    yield store, service, officer, auditor, holder
    store.close()


def _count(store: LocalStore, table: str) -> int:
    with store.database.read_engine.connect() as connection:
        return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def _enrol(service: EnrolmentService, officer, **fields):
    values = {"name": "刘洋", "id_type": "resident_id", "id_number": NEW_ID, "mobile": "13711112222", "card_no": NEW_CARD,
              "address": "北京市朝阳区建国路 88 号", "code": None, **fields}
    return service.enrol(operation_id=service.new_operation_id(), session=officer, **values)


def test_a_walk_in_client_becomes_a_member_with_card_and_audit(desk):
    store, service, officer, _auditor, _holder = desk
    done = _enrol(service, officer)
    assert (done.member_no_provisional, done.referral_status, done.replayed) == (False, None, False)
    view = MemberService(store.context).view(member_no=done.member_no)
    assert (view.status, view.tier.tier, view.posted_balance, view.masked_card) == ("active", "standard", 0, mask_card(NEW_CARD))
    assert view.joined_on == START.date()
    with store.context.uow() as uow:
        member = uow.members.by_no(done.member_no)
        assert (member.card_no, member.mobile_last4, member.referral_code) == (NEW_CARD, "2222", done.referral_code)
        _, rows = uow.audit.search(action="member.create", limit=10)
        [row] = rows
        assert (row.actor, row.member_no, row.details["via"]) == ("officer.bj", done.member_no, "desk")
    # found by the lookup's handles at once
    assert _enrol_lookup(store, "13711112222") == [done.member_no]


def _enrol_lookup(store: LocalStore, text_: str) -> list[str]:
    from loyalty_desk.services.lookup import LookupService

    return [row.member_no for row in LookupService(store.context).search(text=text_).rows]


def test_the_card_and_address_are_optional(desk):
    store, service, officer, _auditor, _holder = desk
    done = _enrol(service, officer, card_no="", address=None, name="Li Na")
    with store.context.uow() as uow:
        member = uow.members.by_no(done.member_no)
        assert (member.card_no, member.address, member.name, member.kind) == (None, None, "Li Na", "person")


def test_every_bad_field_is_refused_at_once_and_nothing_is_written(desk):
    store, service, officer, _auditor, _holder = desk
    members_before = _count(store, "member")
    problems = service.problems(name="张3", id_type="resident_id", id_number="110105199003071234", mobile="2380000",
                                card_no="1234 5678 9012 3456", address="=cmd|' /C calc'!A0", code="ABCD")
    fields = {p.params.get("field"): p.code for p in problems}
    assert set(fields) == {"name", "id_number", "mobile", "card_no", "address", "code"}
    assert fields["id_number"] == "identity.check_digit" and fields["card_no"] == "identity.check_digit"
    assert fields["address"] == "identity.formula_start"
    for problem in problems:
        assert describe(problem)  # every refusal reads as a sentence
    with pytest.raises(ValidationError):
        _enrol(service, officer, mobile="2380000")
    assert _count(store, "member") == members_before and _count(store, "operation") == 0


def test_required_fields_are_said_only_when_submitting(desk):
    _store, service, _officer, _auditor, _holder = desk
    assert service.problems(partial=True) == []
    codes = {p.params.get("field"): p.code for p in service.problems()}
    assert codes["name"] == "identity.required" and codes["mobile"] == "identity.required"
    assert "card_no" not in codes and "code" not in codes and "address" not in codes


def test_an_identity_another_member_holds_is_refused_naming_that_member(desk):
    store, service, officer, _auditor, holder = desk
    with store.context.uow() as uow:
        held = uow.members.by_no(holder)
        held_id, held_mobile, held_card = held.id_number, held.mobile, held.card_no
    problems = service.problems(name="刘洋", id_type="resident_id", id_number=held_id, mobile=held_mobile, card_no=held_card)
    assert sorted((p.params["field"], p.code, p.params["member_no"]) for p in problems) == [
        ("card_no", "member.identity_taken", holder), ("id_number", "member.identity_taken", holder),
        ("mobile", "member.identity_taken", holder)]
    assert f"already held by member {holder}" in describe(problems[0])
    members_before = _count(store, "member")
    with pytest.raises(ValidationError) as refused:
        _enrol(service, officer, mobile=held_mobile)
    assert (refused.value.code, refused.value.params["member_no"]) == ("member.identity_taken", holder)
    assert _count(store, "member") == members_before


def test_a_referrer_code_registers_the_referral_and_a_bad_one_is_refused_at_the_field(desk):
    store, service, officer, _auditor, holder = desk
    [unknown] = [p for p in service.problems(code=referral_code_for(holder)[:-1] + "2", partial=True) if p.params.get("field") == "code"]
    assert unknown.code in ("referral.code_check", "referral.code_unknown")
    done = _enrol(service, officer, code=referral_code_for(holder))
    assert (done.referral_status, done.referrer_no) == ("registered", holder)
    with store.database.read_engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT r.status, referrer.member_no, referee.member_no FROM referral r JOIN member referrer ON referrer.id = r.referrer_member_id "
            "JOIN member referee ON referee.id = r.referee_member_id")).all()
    assert [tuple(row) for row in rows] == [("registered", holder, done.member_no)]


def test_the_same_operation_id_enrols_once_and_only_counter_staff_enrol(desk):
    store, service, officer, auditor, _holder = desk
    operation_id = service.new_operation_id()
    fields = {"name": "刘洋", "id_type": "resident_id", "id_number": NEW_ID, "mobile": "13711112222"}
    first = service.enrol(operation_id=operation_id, session=officer, **fields)
    again = service.enrol(operation_id=operation_id, session=officer, **fields)
    assert (again.member_no, again.replayed) == (first.member_no, True)
    assert _count(store, "operation") == 1
    with pytest.raises(Forbidden):
        service.enrol(operation_id=service.new_operation_id(), session=auditor, name="王磊", id_type="resident_id",
                      id_number=resident_id_for(900_001), mobile="13722223333")


def test_a_business_enrols_with_its_credit_code(desk):
    store, service, officer, _auditor, _holder = desk
    from factories import uscc_for

    done = _enrol(service, officer, name="北京星光科技有限公司", id_type="uscc", id_number=uscc_for(4242), card_no=None)
    with store.context.uow() as uow:
        assert uow.members.by_no(done.member_no).kind == "business"
    with pytest.raises(DomainError):
        _enrol(service, officer, id_type="driving_licence", mobile="13799998888")


def test_the_command_line_enrols_a_client_and_prints_every_refusal_at_once(tmp_path, capsys, monkeypatch):
    from factories import DEFAULT_PASSWORD

    from loyalty_desk.cli.common import PASSWORD_ENV
    from loyalty_desk.cli.main import main

    folder = tmp_path / "store"
    store = open_store(folder, now=START)
    add_branch(store.context)
    add_staff(store.context, username="officer.bj", role="officer")
    holder = add_member(store.context, name="张伟", mobile="13800001111")
    store.close()
    monkeypatch.setenv(PASSWORD_ENV, DEFAULT_PASSWORD)

    def run(*args: str) -> tuple[int, str]:
        code = main(["--data-dir", str(folder), "member", "enrol", *args])
        out = capsys.readouterr()
        return code, out.out + out.err

    code, out = run("--name", "刘洋", "--user", "officer.bj")
    assert code != 0 and "--id-type, --id-number, --mobile" in out
    code, out = run("--name", "刘3", "--id-type", "resident_id", "--id-number", "110105199003071234", "--mobile", "13800001111",
                    "--card", "1234", "--user", "officer.bj")
    assert code != 0
    assert "name" in out and "check" in out.lower() and f"already held by member {holder}" in out and "card_no" in out
    code, out = run("--name", "刘洋", "--id-type", "resident_id", "--id-number", NEW_ID, "--mobile", "13711112222", "--card", NEW_CARD,
                    "--user", "officer.bj")
    assert code == 0 and "Enrolled member M" in out
    member_no = out.split("Enrolled member ")[1].split(",")[0]
    assert main(["--data-dir", str(folder), "member", member_no]) == 0
    assert "刘洋" in capsys.readouterr().out


def test_a_refused_enrolment_takes_no_member_number(desk, monkeypatch):
    from loyalty_desk.services import member_numbers
    from loyalty_desk.services.member_numbers import numbers_of

    store, service, officer, _auditor, holder = desk
    taken: list[int] = []

    class Counting:
        keeps_provisional = False

        def take(self, context, count=1):
            taken.append(count)
            return numbers_of(context).take(context, count)

    monkeypatch.setattr(member_numbers, "numbers_of", lambda context: Counting())
    with store.context.uow() as uow:
        held_mobile = uow.members.by_no(holder).mobile
    with pytest.raises(ValidationError):
        _enrol(service, officer, mobile=held_mobile)  # refused by the store's check: a joined desk's block keeps its number
    assert taken == []
    _enrol(service, officer)
    assert taken == [1]
