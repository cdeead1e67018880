"""The identity-name rules where names are taken: a member import, a referral registration
(service and command line), a new staff account. A refused name names its field and rule and
changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import add_branch, add_staff, open_store
from openpyxl import load_workbook

from loyalty_desk.domain.errors import ValidationError
from loyalty_desk.domain.identity import make_resident_id
from loyalty_desk.services.audit import Actor
from loyalty_desk.services.members.file_import import MemberImportService
from loyalty_desk.services.staff_admin import StaffAdminService

ROBERT = "Robert'); DROP TABLE member;--😀"


def test_a_member_import_refuses_bad_names_and_addresses_row_by_row(tmp_path: Path) -> None:
    store = open_store(tmp_path / "store")
    try:
        add_branch(store.context, code="BJ01")
        source = tmp_path / "members.csv"
        ids = [make_resident_id("110105", __import__("datetime").date(1980, 1, 1 + n), 100 + n) for n in range(5)]
        source.write_text(
            "name,id_type,id_number,mobile,branch_code,address\n"
            f"张伟,resident_id,{ids[0]},13800000001,BJ01,北京市朝阳区建国路88号\n"
            f'"=HYPERLINK(""http://example.com"",""x"")",resident_id,{ids[1]},13800000002,BJ01,\n'
            f'"{ROBERT}",resident_id,{ids[2]},13800000003,BJ01,\n'
            f"王芳,resident_id,{ids[3]},13800000004,BJ01,+1 Main Street\n"
            f"李娜,resident_id,{ids[4]},13800000005,BJ01,Room <b>5</b>\n",
            encoding="utf-8",
        )
        service = MemberImportService(store.context)
        report = service.import_members(path=source, actor=Actor("admin", "test-desk", "BJ01"))
        assert not report.posted and report.registered == 0
        refused = {(p.row, p.column, p.code) for p in report.problems}
        assert refused == {
            (3, "name", "identity.formula_start"),
            (4, "name", "identity.markup"),
            (5, "address", "identity.formula_start"),
            (6, "address", "identity.markup"),
        }
        with store.context.uow() as uow:
            assert uow.members.max_member_no() is None  # nothing registered
        sheet = load_workbook(report.error_report).worksheets[0]
        reasons = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert "name may not begin with =: a spreadsheet would take it for a formula" in reasons

        # with --skip-invalid the good row alone is registered, under its normalised name
        report = service.import_members(path=source, actor=Actor("admin", "test-desk", "BJ01"), skip_invalid=True)
        assert report.registered == 1
    finally:
        store.close()


def test_a_referral_with_a_hostile_name_is_refused_and_registers_nobody(tmp_path: Path) -> None:
    from referral_support import open_referral_desk

    desk = open_referral_desk(tmp_path / "store")
    try:
        with desk.context.uow() as uow:
            before = uow.members.max_member_no()
        for name, code in ((ROBERT, "identity.markup"), ("Robert 😀", "identity.emoji"), ("=cmd|' /C calc'!A0", "identity.formula_start")):
            with pytest.raises(ValidationError) as refused:
                desk.register(name=name)
            assert (refused.value.code, refused.value.params["field"]) == (code, "name")
        with pytest.raises(ValidationError) as refused:
            desk.register(address="@SUM(A1:A9) 北京市")
        assert (refused.value.code, refused.value.params["field"]) == ("identity.formula_start", "address")
        with desk.context.uow() as uow:
            assert uow.members.max_member_no() == before
        # the form's live check says the same, field by field
        problems = desk.service.check(code=desk.code_of(desk.referrer), name=ROBERT, partial=True)
        assert [p.code for p in problems if p.params.get("field") == "name"] == ["identity.markup"]
        outcome = desk.register(name="阿依古丽 · 买买提")
        with desk.context.uow() as uow:
            assert uow.members.by_no(outcome.referee_no).name == "阿依古丽·买买提"
    finally:
        desk.store.close()


def test_a_staff_display_name_follows_the_name_rules(tmp_path: Path) -> None:
    store = open_store(tmp_path / "store")
    try:
        add_branch(store.context, code="BJ01")
        admin = add_staff(store.context, username="admin", role="admin")
        service = StaffAdminService(store.context)
        with pytest.raises(ValidationError) as refused:
            service.create(session=admin, username="wei.zhang", display_name="<img src=x onerror=alert(1)>", role="officer",
                           branch_code="BJ01", initial_password="Correct-Horse-8")
        assert (refused.value.code, refused.value.params["field"]) == ("identity.markup", "display_name")
        view = service.create(session=admin, username="wei.zhang", display_name=" Zhang  Wei ", role="officer", branch_code="BJ01",
                              initial_password="Correct-Horse-8")
        assert view.display_name == "Zhang Wei"
    finally:
        store.close()
