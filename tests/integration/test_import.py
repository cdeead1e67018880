"""Transaction file imports: every bad row reported (row, column, value, reason) in an Excel
error report and nothing posted; --skip-invalid posts the good rows; reimports post nothing twice."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from earning_support import ACTOR, FILE_COLUMNS, Desk, check_invariants, write_csv

from loyalty_desk.services.dto import ImportReport
from loyalty_desk.services.earning import file_import as transaction_import


def problems_of(report: ImportReport) -> list[tuple[int, str, str, str]]:
    return [(p.row, p.column, p.value, p.code) for p in report.problems]


def read_report(path: str | None) -> list[tuple[Any, ...]]:
    assert path is not None
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    assert sheet is not None
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["D"].width and sheet.column_dimensions["D"].width > 20
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def members(desk: Desk) -> tuple[str, str]:
    return desk.add_member(), desk.add_member(tier="gold")


def mixed_rows(a: str, b: str) -> list[list[Any]]:
    return [
        ["T1", a, "2026-03-01", "card_spend", "100.50", "CARD", "", ""],  # row 2 good
        ["T2", b, "2026-3-1", "card_spend", "12.345", "CARD", "", ""],  # row 3: date and amount
        ["T3", a, "2026-03-02", "lottery", "10", "", "", ""],  # row 4: source
        ["T4", "M9999999999", "2026-03-02", "branch_event", "", "", "", ""],  # row 5: unknown member
        ["T1", b, "2026-03-02", "branch_event", "", "", "", ""],  # row 6: duplicate txn id
        ["T6", b, "2026-12-31", "survey", "", "", "", ""],  # row 7: future date (today is 2026-06-30)
        ["T7", b, "2026-03-03", "repayment", "", "LOAN", "", ""],  # row 8: due date missing
        ["T8", "M123", "2026-03-03", "financing", "-5", "FIN-HM", "", ""],  # row 9: member no, amount
        ["T9", b, "2026-03-04", "financing", "200000", "FIN-HM", "", ""],  # row 10 good
    ]


EXPECTED_PROBLEMS = [
    (3, "date", "2026-3-1", "import.date_format"),
    (3, "amount", "12.345", "import.amount_format"),
    (4, "source", "lottery", "import.unknown_source"),
    (5, "member_no", "M9999999999", "import.unknown_member"),
    (6, "txn_id", "T1", "import.duplicate_txn_id"),
    (7, "date", "2026-12-31", "import.date_future"),
    (8, "due_date", "", "import.due_date_required"),
    (9, "member_no", "M123", "member_no.format"),
    (9, "amount", "-5", "import.amount_negative"),
]


def test_bad_rows_are_all_reported_and_nothing_is_posted(desk: Desk, members: tuple[str, str], tmp_path: Path) -> None:
    a, b = members
    path = write_csv(tmp_path / "feed.csv", mixed_rows(a, b))
    report = desk.imports.import_transactions(path=path, actor=ACTOR)

    assert not report.posted and report.rows_posted == 0 and report.rows_read == 9
    assert problems_of(report) == EXPECTED_PROBLEMS
    assert report.problems[4].message == "txn_id: T1 already appears on row 2 of this file"
    assert all(p.message and p.message != p.code for p in report.problems)
    assert desk.balance(a) == desk.balance(b) == 0 and desk.entries(a) == []

    assert report.error_report == str(tmp_path / "feed.errors.xlsx")
    rows = read_report(report.error_report)
    assert rows[0] == ("Row", "Column", "Value", "Reason")
    assert [(r[0], r[1], r[2]) for r in rows[1:]] == [(p[0], p[1], p[2] or None) for p in EXPECTED_PROBLEMS]
    assert rows[1][3] == "date: 2026-3-1 is not a date in the form YYYY-MM-DD"


def test_skip_invalid_posts_the_good_rows_and_still_writes_the_report(desk: Desk, members: tuple[str, str], tmp_path: Path) -> None:
    a, b = members
    path = write_csv(tmp_path / "feed.csv", mixed_rows(a, b))
    report = desk.imports.import_transactions(path=path, actor=ACTOR, skip_invalid=True)
    assert report.posted and report.rows_valid == 2 and report.rows_posted == 2
    assert desk.balance(a) == 100 + 1000  # spend + first card transaction
    assert desk.balance(b) == 3750  # 200,000 / 100 x1.5 high margin x1.25 Gold
    assert report.points_posted == 1100 + 3750
    assert Path(report.error_report or "").exists()
    check_invariants(desk)


def test_the_same_file_twice_posts_nothing_twice_and_is_audited(desk: Desk, members: tuple[str, str], tmp_path: Path) -> None:
    a, b = members
    rows = [["T1", a, "2026-03-01", "card_spend", "100", "", "", ""], ["T2", b, "2026-03-01", "branch_event", "", "", "", ""]]
    path = write_csv(tmp_path / "feed.csv", rows)
    first = desk.imports.import_transactions(path=path, actor=ACTOR)
    second = desk.imports.import_transactions(path=path, actor=ACTOR)
    assert (first.rows_posted, first.rows_already_imported, first.error_report) == (2, 0, None)
    assert (second.rows_posted, second.rows_already_imported, second.points_posted) == (0, 2, 0)
    assert desk.balance(a) == 1100 and desk.balance(b) == 1000
    with desk.context.uow() as uow:
        details = [row.details for row in uow.audit.search(action="import.transactions")[1]]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert len(details) == 2 and all(d is not None and d["sha256"] == digest and d["file"] == "feed.csv" for d in details)


def test_xlsx_with_typed_cells_and_a_bad_row(desk: Desk, members: tuple[str, str], tmp_path: Path) -> None:
    a, b = members
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([" TXN_ID ", "Member_No", "DATE", "Source", "Amount", "Product", "Due_Date", "Original_Txn_Id", "Note"])
    sheet.append([1001, a, datetime(2026, 3, 1), "card_spend", 250.75, "CARD", None, None, "ignored"])
    sheet.append([1002, b, date(2026, 3, 2), "repayment", None, "LOAN", date(2026, 3, 5), None, None])
    sheet.append([1003, b, "yesterday", "CARD_SPEND", 10, "CARD", None, None, None])
    sheet.append([None] * 9)  # blank rows are skipped, their numbers kept
    sheet.append([1004, a, date(2026, 3, 9), "card_refund", 100, "CARD", None, 1001, None])
    path = tmp_path / "feed.xlsx"
    workbook.save(path)

    refused = desk.imports.import_transactions(path=path, actor=ACTOR)
    assert problems_of(refused) == [(4, "date", "yesterday", "import.date_format")]
    assert desk.entries(a) == []

    report = desk.imports.import_transactions(path=path, actor=ACTOR, skip_invalid=True)
    assert report.rows_posted == 3
    entries = {e.entry_uid: e.points for e in desk.entries(a)}
    assert entries == {"txn:1001:base": 250, "txn:1001:first_card": 1000, "txn:1004:base": -99}  # 250 x 100/250.75
    assert desk.balance(b) == 200  # on-time repayment, no multiplier


def test_csv_with_bom_and_gb18030_encodings(desk: Desk, members: tuple[str, str], tmp_path: Path) -> None:
    a, _ = members
    row = [["E1", a, "2026-03-01", "branch_event", "", "网点活动", "", ""]]
    bom = write_csv(tmp_path / "bom.csv", row, encoding="utf-8-sig")
    gb = write_csv(tmp_path / "gb.csv", [["E2", a, "2026-03-02", "branch_event", "", "网点活动", "", ""]], encoding="gb18030")
    assert desk.imports.import_transactions(path=bom, actor=ACTOR).rows_posted == 1
    assert desk.imports.import_transactions(path=gb, actor=ACTOR).rows_posted == 1
    assert {e.details["product"] for e in desk.entries(a)} == {"网点活动"}


def test_a_missing_column_is_reported_once_on_row_1(desk: Desk, members: tuple[str, str], tmp_path: Path) -> None:
    a, _ = members
    header = [c for c in FILE_COLUMNS if c != "amount"]
    path = write_csv(tmp_path / "feed.csv", [["T1", a, "2026-03-01", "branch_event", "", "", ""]] * 3, header=header)
    report = desk.imports.import_transactions(path=path, actor=ACTOR, skip_invalid=True)
    assert not report.posted
    assert problems_of(report) == [(1, "amount", "", "import.missing_column")]
    assert report.problems[0].message == "The file has no amount column"
    assert read_report(report.error_report)[1] == (1, "amount", None, "The file has no amount column")
    assert desk.entries(a) == []


def test_a_formula_in_the_file_is_written_to_the_report_as_text(desk: Desk, members: tuple[str, str], tmp_path: Path) -> None:
    a, _ = members
    path = write_csv(tmp_path / "feed.csv", [["T1", a, "2026-03-01", "card_spend", '=HYPERLINK("http://x")', "", "", ""]])
    report = desk.imports.import_transactions(path=path, actor=ACTOR)
    sheet = openpyxl.load_workbook(report.error_report or "").active
    assert sheet is not None
    assert sheet["C2"].value == '=HYPERLINK("http://x")' and sheet["C2"].data_type == "s"


def test_an_import_killed_midway_and_rerun_posts_nothing_twice(
    desk: Desk, members: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = members
    rows = [[f"K{i}", a if i % 2 else b, f"2026-03-{i + 1:02d}", "branch_event", "", "", "", ""] for i in range(7)]
    path = write_csv(tmp_path / "feed.csv", rows)
    monkeypatch.setattr(transaction_import, "BATCH_ROWS", 2)
    real_post = desk.earning.post
    calls = {"n": 0}

    def crash_on_third_batch(**kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt("killed")
        return real_post(**kwargs)

    monkeypatch.setattr(desk.earning, "post", crash_on_third_batch)
    with pytest.raises(KeyboardInterrupt):
        desk.imports.import_transactions(path=path, actor=ACTOR)
    assert desk.balance(a) + desk.balance(b) == 4 * 1000  # two batches committed

    monkeypatch.setattr(desk.earning, "post", real_post)
    report = desk.imports.import_transactions(path=path, actor=ACTOR)
    assert (report.rows_posted, report.rows_already_imported) == (3, 4)
    assert desk.balance(a) + desk.balance(b) == 7 * 1000
    check_invariants(desk)


class Recorder:
    def __init__(self, cancel_after: int | None = None) -> None:
        self.progress: list[tuple[int, int]] = []
        self.statuses: list[str] = []
        self.cancel_after = cancel_after

    def set_progress(self, done: int, total: int) -> None:
        self.progress.append((done, total))

    def set_status(self, text: str) -> None:
        self.statuses.append(text)

    def is_cancelled(self) -> bool:
        return self.cancel_after is not None and len([s for s in self.statuses if s == "import.posting"]) > 0 and len(self.progress) > self.cancel_after


def test_progress_is_reported_and_cancel_stops_between_batches(
    desk: Desk, members: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _ = members
    rows = [[f"P{i}", a, "2026-03-01", "branch_event", "", "", "", ""] for i in range(5)]
    path = write_csv(tmp_path / "feed.csv", rows)
    monkeypatch.setattr(transaction_import, "BATCH_ROWS", 2)
    recorder = Recorder(cancel_after=1)  # the validation's final progress, then one batch
    report = desk.imports.import_transactions(path=path, actor=ACTOR, progress=recorder)
    assert "import.checking" in recorder.statuses and recorder.progress[-1] == (2, 5)
    assert not report.posted and report.rows_posted == 2 and desk.balance(a) == 2000


def test_rows_that_earn_nothing_are_not_posted_again_on_reimport(desk: Desk, members: tuple[str, str], tmp_path: Path) -> None:
    a, _ = members
    rows = [
        ["Z1", a, "2026-03-01", "repayment", "", "LOAN", "2026-02-20", ""],  # paid late: no points
        ["Z2", a, "2026-03-01", "card_approved", "", "CARD", "", ""],  # records the approval only
    ]
    path = write_csv(tmp_path / "feed.csv", rows)
    first = desk.imports.import_transactions(path=path, actor=ACTOR)
    second = desk.imports.import_transactions(path=path, actor=ACTOR)
    assert (first.posted, first.points_posted, first.rows_already_imported) == (True, 0, 0)
    assert (second.rows_posted, second.points_posted, second.rows_already_imported) == (0, 0, 2)


def test_a_transaction_id_reused_with_other_data_is_refused(desk: Desk, members: tuple[str, str], tmp_path: Path) -> None:
    a, _ = members
    desk.imports.import_transactions(path=write_csv(tmp_path / "day1.csv", [["R1", a, "2026-03-01", "card_spend", "100", "CARD", "", ""]]), actor=ACTOR)
    report = desk.imports.import_transactions(
        path=write_csv(tmp_path / "day2.csv", [["R1", a, "2026-03-02", "card_spend", "900", "CARD", "", ""]]), actor=ACTOR
    )
    assert not report.posted
    assert problems_of(report) == [(2, "txn_id", "R1", "import.txn_id_reused")]
    check_invariants(desk)
