"""Registering members from a file: every identity rule, duplicates within the file and against
the store, the error report beside the file, nothing registered while a row is bad (unless
skipping), a re-import registering nothing twice; the import templates; the member list reader."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from factories import LocalStore, add_branch, add_member, open_store
from openpyxl import Workbook, load_workbook

from loyalty_desk.documents.sheets import TEMPLATES
from loyalty_desk.domain.identity import make_card_no, make_member_no, make_resident_id, make_uscc
from loyalty_desk.services.audit import Actor
from loyalty_desk.services.exports import TEMPLATE_KINDS
from loyalty_desk.services.lookup import LookupService
from loyalty_desk.services.members.file_import import MemberImportService, write_template

ACTOR = Actor(username="os:tester", desk="test-desk")
HEADER = ["name", "id_type", "id_number", "mobile", "card_no", "branch_code", "kind", "joined_on", "address"]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    opened = open_store(tmp_path / "store")
    add_branch(opened.context, code="BJ01")
    add_branch(opened.context, code="SH01", name_zh="上海分行", name_en="Shanghai Branch")
    yield opened
    opened.close()


def rid(n: int) -> str:
    return make_resident_id("110105", date(1985, 3, 1 + n), n)


def xlsx(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def count_members(store: LocalStore) -> int:
    with store.context.uow() as uow:
        return len(uow.documents.member_nos())


GOOD = [
    ["李明", "resident_id", rid(1), "13800000001", make_card_no("622202", 1), "BJ01", "", "2026-06-01", "北京市朝阳区"],
    ["Chen Wei", "passport", "E12345678", "13800000002", None, "SH01", "person", None, None],
    ["北京星辰科技有限公司", "统一社会信用代码", make_uscc("91110105MA0000001"), "+86 138-0000-0003", None, "BJ01", "", None, None],
]


def test_mixed_good_and_bad_rows_register_nothing_and_report_every_bad_one(store: LocalStore, tmp_path: Path) -> None:
    existing = add_member(store.context, name="张伟")  # its mobile and card are taken
    with store.context.uow() as uow:
        taken = uow.members.by_no(existing)
        taken_mobile, taken_card = taken.mobile, taken.card_no
    bad_check = rid(4)[:-1] + ("0" if rid(4)[-1] != "0" else "1")
    rows = [
        *GOOD,
        ["王五", "resident_id", bad_check, "13800000004", None, "BJ01", None, None, None],  # row 5: check digit
        ["赵六", "resident_id", rid(5), "23800000005", None, "BJ01", None, None, None],  # row 6: mobile
        ["孙七", "resident_id", rid(6), "13800000006", "6222020000000000", "BJ01", None, None, None],  # row 7: card Luhn
        ["周八", "resident_id", rid(1), "13800000008", None, "BJ01", None, None, None],  # row 8: same ID as row 2
        ["吴九", "resident_id", rid(9), taken_mobile, None, "BJ01", None, None, None],  # row 9: mobile of a member
        ["郑十", "resident_id", rid(10), "13800000010", taken_card, "BJ01", None, None, None],  # row 10: card of a member
        ["", "passport", "E7777777", "13800000011", None, "XX99", None, "2030-01-01", None],  # row 11: name, branch, date
        ["钱一", "driver", "E7777777", "13800000012", None, "BJ01", None, None, None],  # row 12: id type
    ]
    path = xlsx(tmp_path / "new members.xlsx", rows)
    service = MemberImportService(store.context)
    report = service.import_members(path=path, actor=ACTOR)
    assert not report.posted and report.registered == 0 and count_members(store) == 1
    by_row = {}
    for problem in report.problems:
        by_row.setdefault(problem.row, []).append((problem.column, problem.code))
    assert by_row == {
        5: [("id_number", "identity.check_digit")],
        6: [("mobile", "identity.mobile_format")],
        7: [("card_no", "identity.check_digit")],
        8: [("id_number", "member_import.duplicate_in_file")],
        9: [("mobile", "member_import.exists")],
        10: [("card_no", "member_import.exists")],
        11: [("name", "import.required"), ("branch_code", "member_import.unknown_branch"), ("joined_on", "import.date_future")],
        12: [("id_type", "identity.id_type")],
    }
    # the error report beside the input: row, column, value, reason
    errors = load_workbook(tmp_path / "new members.errors.xlsx").active
    lines = list(errors.iter_rows(values_only=True))
    assert lines[0] == ("Row", "Column", "Value", "Reason")
    assert (5, "id_number", bad_check) == lines[1][:3] and "check digit" in lines[1][3]
    assert any(line[:3] == (9, "mobile", taken_mobile) and existing in line[3] for line in lines[1:])

    # skipping the bad rows registers the good ones, with numbers after the highest one
    report = service.import_members(path=path, actor=ACTOR, skip_invalid=True)
    assert report.posted and report.registered == 3 and report.already_registered == 0
    serial = int(existing[1:-1])
    assert report.member_nos == tuple(make_member_no(serial + i) for i in (1, 2, 3))
    with store.context.uow() as uow:
        li = uow.members.by_no(report.member_nos[0])
        assert (li.name, li.name_pinyin, li.mobile_last4, li.joined_on, li.kind) == ("李明", "liming", "0001", date(2026, 6, 1), "person")
        company = uow.members.by_no(report.member_nos[2])
        assert (company.kind, company.id_type, company.mobile) == ("business", "uscc", "13800000003")
    lookup = LookupService(store.context)
    assert [r.member_no for r in lookup.search(text="li ming").rows] == [report.member_nos[0]] or [
        r.member_no for r in lookup.search(text="liming").rows
    ] == [report.member_nos[0]]
    assert report.member_nos[0] in [r.member_no for r in lookup.search(text="明").rows]

    # importing the same file again registers nothing twice
    again = service.import_members(path=path, actor=ACTOR, skip_invalid=True)
    assert again.registered == 0 and again.already_registered == 3 and count_members(store) == 4


def test_a_clean_csv_then_the_same_file_again(store: LocalStore, tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for row in GOOD:
            writer.writerow(["" if v is None else v for v in row])
    service = MemberImportService(store.context)
    first = service.import_members(path=path, actor=ACTOR)
    assert first.posted and first.registered == 3 and first.error_report is None
    second = service.import_members(path=path, actor=ACTOR)
    assert second.posted and second.registered == 0 and second.already_registered == 3
    assert count_members(store) == 3
    with store.context.uow() as uow:
        _, events = uow.audit.search(action="import.members", limit=5)
        assert [e.details["registered"] for e in reversed(events)] == [3, 0]


def test_a_missing_column_is_reported_on_the_header_row(store: LocalStore, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "m.xlsx", [["李明", rid(1)]], header=["name", "id_number"])
    report = MemberImportService(store.context).import_members(path=path, actor=ACTOR)
    assert not report.posted and {(p.row, p.column) for p in report.problems} == {(1, "id_type"), (1, "mobile")}


def test_numbers_typed_as_numbers_in_excel_are_read_as_text(store: LocalStore, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "n.xlsx", [["李明", "passport", "E1234567", 13800000001, None, "BJ01", None, None, None]])
    report = MemberImportService(store.context).import_members(path=path, actor=ACTOR)
    assert report.posted and report.registered == 1


def test_the_template_kinds_offered_are_the_templates_written() -> None:
    assert tuple(TEMPLATES) == TEMPLATE_KINDS


@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_templates_have_a_header_an_example_and_notes(kind: str, tmp_path: Path) -> None:
    path = write_template(kind, tmp_path / f"{kind}.xlsx")
    workbook = load_workbook(path)
    assert workbook.sheetnames == [kind.capitalize(), "Notes"]
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    example = [c.value for c in sheet[2]]
    assert header[0] and any(example) and sheet.freeze_panes == "A2"
    notes = [row[0] for row in workbook["Notes"].iter_rows(values_only=True) if row and row[0]]
    assert set(header) <= set(notes)


def test_the_members_template_example_row_imports(store: LocalStore, tmp_path: Path) -> None:
    path = write_template("members", tmp_path / "t.xlsx")
    report = MemberImportService(store.context).import_members(path=path, actor=ACTOR)
    assert report.posted and report.registered == 1, report.problems


def test_member_list_for_batch_statements(store: LocalStore, tmp_path: Path) -> None:
    numbers = [add_member(store.context, name=n) for n in ("张伟", "王芳")]
    path = xlsx(tmp_path / "list.xlsx", [[numbers[1]], [numbers[0]], [numbers[1]], [None]], header=["Member_No"])
    assert MemberImportService(store.context).read_member_list(path) == [numbers[1], numbers[0]]
