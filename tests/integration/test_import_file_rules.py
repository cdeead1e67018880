"""The rules every import file meets before anything is posted (transactions, members and
adjustment requests alike): a row has exactly as many fields as the header; amounts are plain
digits with an optional point and up to two decimals; no control characters; no field longer
than its column allows; encodings and BOMs as documented. A bad row is refused, named in the
report and the error workbook, and nothing is posted unless ``skip_invalid``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from earning_support import ACTOR, FILE_COLUMNS, Desk, check_invariants
from factories import add_member, add_staff

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.domain.identity import make_resident_id
from loyalty_desk.services import import_rows
from loyalty_desk.services.adjustments.service import AdjustmentService
from loyalty_desk.services.auth import AuthService
from loyalty_desk.services.earning import file_import as transaction_import
from loyalty_desk.services.handlers import operation_runner
from loyalty_desk.services.members.file_import import MemberImportService
from loyalty_desk.store.spool import ImportSpool

HEADER = ",".join(FILE_COLUMNS)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def problems(report: Any) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.code) for p in report.problems]


def report_rows(report: Any) -> list[tuple[Any, ...]]:
    sheet = openpyxl.load_workbook(report.error_report).active
    assert sheet is not None
    return [tuple(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.fixture
def member(desk: Desk) -> str:
    return desk.add_member()


# ---------------------------------------------------------------------- field counts and amounts


def test_an_unquoted_thousands_amount_is_refused_not_posted_as_one_point(desk: Desk, member: str, tmp_path: Path) -> None:
    path = write(tmp_path / "feed.csv", f"{HEADER}\nT1,{member},2026-03-01,card_spend,1,000.00,CARD,,\n")
    report = desk.imports.import_transactions(path=path, actor=ACTOR)
    assert not report.posted and report.rows_posted == 0
    assert problems(report) == [(2, "", "import.field_count")]
    assert report.problems[0].message == "Row 2 has 9 fields but the header has 8"
    assert report_rows(report)[0][0] == 2 and "9 fields" in report_rows(report)[0][3]
    assert desk.balance(member) == 0


def test_a_row_with_fewer_fields_than_the_header_is_refused(desk: Desk, member: str, tmp_path: Path) -> None:
    path = write(tmp_path / "feed.csv", f"{HEADER}\nT1,{member},2026-03-01,branch_event,,CARD,\n")
    report = desk.imports.import_transactions(path=path, actor=ACTOR)
    assert problems(report) == [(2, "", "import.field_count")]
    assert report.problems[0].params == {"field": "", "row": "2", "actual": "7", "expected": "8"}
    assert desk.balance(member) == 0


def test_a_quoted_thousands_amount_is_refused_naming_the_rule(desk: Desk, member: str, tmp_path: Path) -> None:
    path = write(tmp_path / "feed.csv", f'{HEADER}\nT1,{member},2026-03-01,card_spend,"1,000.00",CARD,,\n')
    report = desk.imports.import_transactions(path=path, actor=ACTOR)
    assert problems(report) == [(2, "amount", "import.amount_format")]
    assert "digits with an optional . and up to 2 decimals" in report.problems[0].message
    assert desk.balance(member) == 0


@pytest.mark.parametrize("amount", ["１００", "¥100", "100 000", "1e3", ".5", "5.", "+5", "1_000", "100.001", "٣٠٠", "1234567890123"])
def test_amounts_outside_the_one_format_are_refused(desk: Desk, member: str, tmp_path: Path, amount: str) -> None:
    path = write(tmp_path / "feed.csv", f'{HEADER}\nT1,{member},2026-03-01,card_spend,"{amount}",CARD,,\n')
    report = desk.imports.import_transactions(path=path, actor=ACTOR)
    assert problems(report) == [(2, "amount", "import.amount_format")]


def test_skip_invalid_posts_the_good_rows_around_a_bad_field_count(desk: Desk, member: str, tmp_path: Path) -> None:
    text = f"{HEADER}\nT1,{member},2026-03-01,card_spend,1,000.00,CARD,,\nT2,{member},2026-03-01,card_spend,1000.00,CARD,,\n"
    report = desk.imports.import_transactions(path=write(tmp_path / "feed.csv", text), actor=ACTOR, skip_invalid=True)
    assert report.posted and report.rows_posted == 1 and problems(report) == [(2, "", "import.field_count")]
    assert desk.balance(member) == 1000 + 1000  # a point a yuan, and the first card transaction
    check_invariants(desk)


# ---------------------------------------------------------------------- control characters, lengths, encodings


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\u2028", "\u2029", "\t"])
def test_control_characters_are_refused_at_the_field(desk: Desk, member: str, tmp_path: Path, char: str) -> None:
    path = write(tmp_path / "feed.csv", f'{HEADER}\nT1,{member},2026-03-01,branch_event,,"CA{char}RD",,\n')
    report = desk.imports.import_transactions(path=path, actor=ACTOR)
    assert problems(report) == [(2, "product", "import.control_character")]
    assert report.problems[0].params["character"] == f"U+{ord(char):04X}"
    assert report.problems[0].params["position"] == "3"
    assert desk.balance(member) == 0


def test_a_line_break_inside_a_quoted_field_is_refused_and_later_rows_keep_their_numbers(desk: Desk, member: str, tmp_path: Path) -> None:
    text = f'{HEADER}\nT1,{member},2026-03-01,branch_event,,"CA\nRD",,\nT2,{member},2026-03-01,nonsense,,,,\n'
    report = desk.imports.import_transactions(path=write(tmp_path / "feed.csv", text), actor=ACTOR)
    assert problems(report) == [(2, "product", "import.control_character"), (3, "source", "import.unknown_source")]


def test_an_over_long_field_is_refused_against_its_column_limit(desk: Desk, member: str, tmp_path: Path) -> None:
    path = write(tmp_path / "feed.csv", f"{HEADER}\n{'T' * 65},{member},2026-03-01,branch_event,,{'P' * 65},,\n")
    report = desk.imports.import_transactions(path=path, actor=ACTOR)
    assert problems(report) == [(2, "txn_id", "import.too_long"), (2, "product", "import.too_long")]
    assert report.problems[0].params["maximum"] == "64" and report.problems[0].params["actual"] == "65"


def test_a_field_beyond_the_csv_limit_refuses_the_file_at_its_row(desk: Desk, member: str, tmp_path: Path) -> None:
    huge = "x" * 200_000
    path = write(tmp_path / "feed.csv", f'{HEADER}\nT1,{member},2026-03-01,branch_event,,,,\nT2,{member},2026-03-01,branch_event,,"{huge}",,\n')
    report = desk.imports.import_transactions(path=path, actor=ACTOR, skip_invalid=True)
    assert not report.posted and desk.balance(member) == 0
    assert [(p.row, p.code) for p in report.problems] == [(3, "import.unreadable_row")]


def test_an_unterminated_quote_refuses_the_file_at_its_row(desk: Desk, member: str, tmp_path: Path) -> None:
    path = write(tmp_path / "feed.csv", f'{HEADER}\nT1,{member},2026-03-01,branch_event,,,,\nT2,{member},2026-03-01,branch_event,,"CARD,,\n')
    report = desk.imports.import_transactions(path=path, actor=ACTOR, skip_invalid=True)
    assert not report.posted and desk.balance(member) == 0
    assert [(p.row, p.code) for p in report.problems] == [(3, "import.unreadable_row")]


def test_an_invalid_encoding_is_refused_with_its_byte_offset_and_line(desk: Desk, member: str, tmp_path: Path) -> None:
    good = f"{HEADER}\nT1,{member},2026-03-01,branch_event,,,,\n".encode()
    path = tmp_path / "feed.csv"
    path.write_bytes(good + b"T2,\xff\xfe,x\n")
    with pytest.raises(DomainError) as caught:
        desk.imports.import_transactions(path=path, actor=ACTOR)
    assert caught.value.code == "import.encoding"
    assert caught.value.params["offset"] == len(good) + 3 and caught.value.params["line"] == 3
    assert desk.balance(member) == 0


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_documented_encodings_are_read(desk: Desk, member: str, tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path / "feed.csv", f"{HEADER}\r\nT1,{member},2026-03-01,branch_event,,网点活动,,\r\n", encoding)
    report = desk.imports.import_transactions(path=path, actor=ACTOR)
    assert report.rows_posted == 1 and {e.details["product"] for e in desk.entries(member)} == {"网点活动"}


def test_a_utf16_file_is_refused_as_an_encoding_we_do_not_read(desk: Desk, tmp_path: Path) -> None:
    path = write(tmp_path / "feed.csv", f"\ufeff{HEADER}\n", "utf-16-le")
    with pytest.raises(DomainError) as caught:
        desk.imports.import_transactions(path=path, actor=ACTOR)
    assert caught.value.code == "import.encoding"


def test_xlsx_text_cells_meet_the_same_rules_and_numbers_stay_numbers(desk: Desk, member: str, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(FILE_COLUMNS))
    sheet.append(["X1", member, "2026-03-01", "card_spend", 1000.5, "CARD", None, None])
    # a sheet's cells cannot hold C0 controls but tab and line breaks
    sheet.append(["X2", member, "2026-03-01", "branch_event", None, "CA\u2028RD", None, None])
    sheet.append(["X3", member, "2026-03-01", "card_spend", "1,000.00", "CARD", None, None])
    sheet.append(["X4", member, "2026-03-01", "branch_event", None, "CARD", None, None, "beyond the header"])
    path = tmp_path / "feed.xlsx"
    workbook.save(path)
    report = desk.imports.import_transactions(path=path, actor=ACTOR)
    assert problems(report) == [(3, "product", "import.control_character"), (4, "amount", "import.amount_format"), (5, "", "import.field_count")]
    report = desk.imports.import_transactions(path=path, actor=ACTOR, skip_invalid=True)
    assert report.rows_posted == 1 and desk.balance(member) == 1000 + 1000


# ---------------------------------------------------------------------- members and adjustments


MEMBER_HEADER = "name,id_type,id_number,mobile,branch_code"


def test_member_rows_meet_the_same_rules(desk: Desk, tmp_path: Path) -> None:
    service = MemberImportService(desk.context)
    ids = [make_resident_id("110105", date(1985, 3, n), n) for n in (1, 2, 3, 4)]
    text = (
        f"{MEMBER_HEADER}\n"
        f"李明,resident_id,{ids[0]},13800000001,BJ01\n"
        f"王\x00芳,resident_id,{ids[1]},13800000002,BJ01\n"
        f"张伟,resident_id,{ids[2]},13800000003,BJ01,extra\n"
        f"赵六,resident_id,{ids[3]},13800000004,{'B' * 40}\n"
    )
    report = service.import_members(path=write(tmp_path / "people.csv", text), actor=ACTOR)
    assert not report.posted
    assert problems(report) == [(3, "name", "import.control_character"), (4, "", "import.field_count"), (5, "branch_code", "import.too_long")]
    with desk.context.uow() as uow:
        assert uow.members.max_member_no() is None
    report = service.import_members(path=tmp_path / "people.csv", actor=ACTOR, skip_invalid=True)
    assert report.registered == 1


@pytest.fixture
def head_office(desk: Desk) -> Iterator[tuple[AdjustmentService, Any]]:
    from factories import add_branch

    add_branch(desk.context, code="HQ01", name_zh="总行营业部", name_en="Head Office", head_office=True)
    session = add_staff(desk.context, username="hq.officer", role="officer", branch_code="HQ01")
    auth = AuthService(desk.context)
    yield AdjustmentService(desk.context, operation_runner(desk.context), auth), session


def test_adjustment_rows_meet_the_same_rules(desk: Desk, head_office: tuple[AdjustmentService, Any], tmp_path: Path) -> None:
    service, session = head_office
    member = add_member(desk.context, branch_code="BJ01")
    memo = "Card purchase not credited"
    text = (
        "member_no,points,reason_code,memo,evidence_ref\n"
        f"{member},500,MISSING_POINTS,{memo},E1\n"
        f"{member},1,000,MISSING_POINTS,{memo},E2\n"
        f'{member},"1,000",MISSING_POINTS,{memo},E3\n'
        f"{member},５００,MISSING_POINTS,{memo},E4\n"
        f"{member},500,MISSING_POINTS,{memo}\x00,E5\n"
    )
    path = write(tmp_path / "adjust.csv", text)
    report = service.import_requests(path=path, session=session)
    assert not report.posted and report.rows_posted == 0
    assert problems(report) == [
        (3, "", "import.field_count"),
        (4, "points", "import.points_format"),
        (5, "points", "import.points_format"),
        (6, "memo", "import.control_character"),
    ]
    report = service.import_requests(path=path, session=session, skip_invalid=True)
    assert report.rows_posted == 1 and report.points_posted == 500


# ---------------------------------------------------------------------- streaming: check everything, then post


def test_a_bad_row_after_many_batches_still_stops_the_whole_file(desk: Desk, member: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transaction_import, "BATCH_ROWS", 2)
    good = "".join(f"G{i},{member},2026-03-01,branch_event,,,,\n" for i in range(9))
    path = write(tmp_path / "feed.csv", f"{HEADER}\n{good}G9,{member},2026-03-01,card_spend,1,000,CARD,,\n")
    report = desk.imports.import_transactions(path=path, actor=ACTOR)
    assert not report.posted and problems(report) == [(11, "", "import.field_count")] and report.rows_valid == 9
    assert desk.balance(member) == 0 and desk.entries(member) == []


def test_rows_are_posted_in_date_order_across_batches(desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    member = desk.add_member(card_approved_on=date(2026, 1, 1))
    monkeypatch.setattr(transaction_import, "BATCH_ROWS", 2)
    days = ["2026-03-05", "2026-03-04", "2026-03-03", "2026-03-02", "2026-03-01"]  # the file runs backwards
    text = "".join(f"D{i},{member},{day},card_spend,100,CARD,,\n" for i, day in enumerate(days))
    report = desk.imports.import_transactions(path=write(tmp_path / "feed.csv", f"{HEADER}\n{text}"), actor=ACTOR)
    assert report.rows_posted == 5
    first_card = [e for e in desk.entries(member) if e.rule == "card_first_transaction"]
    assert [e.entry_uid for e in first_card] == ["txn:D4:first_card"]  # the earliest purchase, in the last batch of the file
    assert [e.occurred_on for e in desk.entries(member)] == sorted(e.occurred_on for e in desk.entries(member))
    check_invariants(desk)


def test_refused_rows_go_to_the_spool_a_batch_at_a_time_in_row_order(
    desk: Desk, member: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transaction_import, "BATCH_ROWS", 2)
    handed_on: list[int] = []
    add_problems = ImportSpool.add_problems

    def counted(spool: ImportSpool, payloads: Any) -> None:
        payloads = list(payloads)
        handed_on.append(len(payloads))
        add_problems(spool, payloads)

    monkeypatch.setattr(ImportSpool, "add_problems", counted)
    refused = "".join(f"R{i},{member},2026-03-01,card_spend,1,000,CARD,,\n" for i in range(7))  # one field too many
    text = f"{HEADER}\n{refused}U1,M9999999999,2026-03-01,branch_event,,,,\nG1,{member},2026-03-01,branch_event,,,,\n"
    report = desk.imports.import_transactions(path=write(tmp_path / "feed.csv", text), actor=ACTOR)
    assert not report.posted and report.rows_read == 9 and report.rows_valid == 1
    assert max(handed_on) <= 2  # a file of refused rows is not held in memory until its end
    assert [p.row for p in report.problems] == [2, 3, 4, 5, 6, 7, 8, 9]
    assert [r[0] for r in report_rows(report)] == [2, 3, 4, 5, 6, 7, 8, 9]
    assert desk.balance(member) == 0


def test_the_report_object_lists_the_first_problems_and_the_workbook_all(desk: Desk, member: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_rows, "LISTED_PROBLEMS", 3)
    text = "".join(f"B{i},{member},2026-03-01,nonsense,,,,\n" for i in range(5))
    report = desk.imports.import_transactions(path=write(tmp_path / "feed.csv", f"{HEADER}\n{text}"), actor=ACTOR)
    assert [p.row for p in report.problems] == [2, 3, 4] and report.more_problems == 2
    assert [r[0] for r in report_rows(report)] == [2, 3, 4, 5, 6]


def test_a_workbook_damaged_inside_its_sheet_is_refused_not_a_crash(desk: Desk, member: str, tmp_path: Path) -> None:
    import zipfile

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(FILE_COLUMNS))
    for i in range(50):
        sheet.append([f"W{i}", member, "2026-03-01", "branch_event", None, "CARD", None, None])
    good = tmp_path / "good.xlsx"
    workbook.save(good)
    damaged = tmp_path / "feed.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) * 2 // 3]  # cut off in the middle of the rows
            target.writestr(item, data)
    report = desk.imports.import_transactions(path=damaged, actor=ACTOR, skip_invalid=True)
    assert not report.posted and desk.balance(member) == 0
    assert report.problems[-1].code == "import.unreadable_row"
