"""The statement from the member view: the dialog, the in-app PDF preview, printing (to a PDF
printer) and saving, both audited; batch statements with progress."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from ui_support import audit_actions


@pytest.fixture
def member_screen(qtbot, main_window, desk_data):
    screen = main_window.screens["member"]
    with qtbot.waitSignal(screen.sig_loaded, timeout=10_000):
        main_window.navigate("member", member_no=desk_data.zhang)
    return screen


def open_preview(qtbot, member_screen):
    assert member_screen.statement_button.isVisible() and member_screen.statement_button.isEnabled()
    member_screen.ask_statement()
    dialog = member_screen.statement_dialog
    assert dialog is not None and dialog.last_12.isChecked()
    with qtbot.waitSignal(dialog.sig_preview_opened, timeout=20_000) as opened:
        dialog.ok_button.click()
    preview = opened.args[0]
    qtbot.addWidget(preview)
    return dialog, preview


def test_the_statement_opens_in_the_preview(qtbot, member_screen, desk_data, tmp_path: Path):
    dialog, preview = open_preview(qtbot, member_screen)
    data = dialog.data
    assert preview.page_count() >= 1 and preview.isVisible()
    assert data.member_no == desk_data.zhang and data.name == "张伟"
    assert data.statement_no in preview.windowTitle()
    text = "\n".join(page.extract_text() for page in PdfReader(str(preview.path)).pages)
    assert "张伟" in text and f"{data.closing:,}" in text
    assert not preview.first_page_image(400).isNull()

    # print into a PDF printer: every page rendered, the print audited
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    pages = preview.print_to(printer)
    assert pages == preview.page_count() == len(PdfReader(str(tmp_path / "printed.pdf")).pages)
    preview._on_printed("PDF", pages)
    preview.save_to(tmp_path / "copy")
    assert (tmp_path / "copy.pdf").read_bytes() == preview.path.read_bytes()
    member_screen._context.runner.wait_for_done(10_000)
    qtbot.waitUntil(lambda: {"statement.print", "statement.save"} <= set(audit_actions(desk_data)), timeout=10_000)


def test_a_custom_period_the_wrong_way_round_is_refused(qtbot, member_screen):
    from PySide6.QtCore import QDate

    member_screen.ask_statement()
    dialog = member_screen.statement_dialog
    dialog.custom.setChecked(True)
    dialog.date_from.setDate(QDate(2026, 6, 1))
    dialog.date_to.setDate(QDate(2026, 5, 1))
    with qtbot.waitSignal(dialog.sig_failed, timeout=10_000):
        dialog.ok_button.click()
    assert "before it starts" in dialog.error.text()


def test_batch_statements_with_progress(qtbot, main_window, desk_data, tmp_path: Path):
    from loyalty_desk.ui.screens.statements import BatchStatementsDialog

    context = main_window.screens["member"]._context
    dialog = BatchStatementsDialog(context, main_window)
    qtbot.addWidget(dialog)
    dialog.use_branch.setChecked(True)
    dialog.out.setText(str(tmp_path / "out"))
    with qtbot.waitSignal(dialog.sig_finished, timeout=60_000) as finished:
        dialog.start_button.click()
    result = finished.args[0]
    assert result.statements == result.requested >= 3 and not result.cancelled
    assert len(list((tmp_path / "out").glob("*.pdf"))) == result.statements


def test_statements_and_exports_screen_exports_and_imports(qtbot, main_window, desk_data, tmp_path: Path):
    from openpyxl import load_workbook

    screen = main_window.screens["documents"]
    main_window.navigate("documents")
    screen.kind.setCurrentIndex(screen.kind.findData("members"))
    with qtbot.waitSignal(screen.sig_exported, timeout=30_000) as exported:
        screen.export(tmp_path / "members.xlsx")
    assert exported.args[0].rows == len(list(load_workbook(tmp_path / "members.xlsx").worksheets[0].iter_rows())) - 1
    assert "export.members" in [row.action for row in desk_data.audit_rows()]

    from loyalty_desk.services.members.file_import import write_template

    write_template("members", tmp_path / "new.xlsx")  # its example row is a valid new member
    with qtbot.waitSignal(screen.sig_imported, timeout=30_000) as imported:
        screen.import_members(tmp_path / "new.xlsx")
    assert imported.args[0].registered == 1 and "1 members registered" in screen.banner.text()


def test_a_receipt_opens_whole_in_the_preview_and_a_statement_fitted_to_its_width(qtbot, member_screen, tmp_path: Path):
    from datetime import datetime

    from PySide6.QtPdfWidgets import QPdfView

    from loyalty_desk.documents.receipts import render_receipt
    from loyalty_desk.services.redemption.dto import RedemptionReceipt
    from loyalty_desk.ui.screens.statements import PdfPreviewDialog

    receipt = RedemptionReceipt(
        number="R-20261204-0001", operation_id="op-1", member_no="M1000000001", masked_name="张*", reward_code="GIFT-TUMBLER",
        reward_name_zh="定制保温杯", reward_name_en="Insulated tumbler", qty=1, points=4_500, balance_after=10_000,
        branch_code="BJ01", branch_name_zh="北京分行", branch_name_en="Beijing Branch", officer="王芳", officer_username="officer1",
        at=datetime(2026, 12, 4, 9, 30),
    )
    path = render_receipt(receipt, tmp_path / "receipt.pdf", language="en")
    preview = PdfPreviewDialog(path, title="Receipt", suggested_name="receipt.pdf")
    qtbot.addWidget(preview)
    assert preview.view.zoomMode() == QPdfView.ZoomMode.FitInView and preview.fit_button.isChecked()

    _dialog, statement = open_preview(qtbot, member_screen)
    assert statement.view.zoomMode() == QPdfView.ZoomMode.FitToWidth and not statement.fit_button.isChecked()


def test_statement_periods_read_as_the_dates_around_them(qtbot, main_window, member_screen):
    from PySide6.QtCore import QDate

    from loyalty_desk.ui import fmt
    from loyalty_desk.ui.screens.statements import BatchStatementsDialog

    member_screen.ask_statement()
    single = member_screen.statement_dialog
    batch = BatchStatementsDialog(main_window.screens["member"]._context, main_window)
    qtbot.addWidget(batch)
    for dialog in (single, batch):
        dialog.date_from.setDate(QDate(2026, 6, 1))
        assert dialog.date_from.text() == fmt.day(date(2026, 6, 1))  # as history and receipts show it, never 2026-06-01
