"""Statements on screen: the statement dialog (period and language) opened from the member view,
the in-app PDF preview with Print and Save as PDF (statements and receipts alike), and batch
statements with a progress dialog and Cancel.

The PDF is built and written on a worker thread (``TaskRunner``); the preview shows it with
Qt's PDF module (``QPdfDocument`` + ``QPdfView``). Printing renders every page with
``QPdfDocument.render`` into the ``QPrinter`` the system dialog configured; every print and
save goes to the audit trail through the statement service.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QKeySequence
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from loyalty_desk.services.audit import Actor
from loyalty_desk.ui import fmt
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.printing import print_pdf
from loyalty_desk.ui.screens.base import ScreenDialog
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.widgets import add_all, dialog_buttons, named, path_row, period_row


def session_actor(context: ScreenContext) -> Actor:
    return Actor(context.session.username, context.services.desk_name, context.session.branch_code)


# ---------------------------------------------------------------------- preview


class PdfPreviewDialog(QDialog):
    """A PDF on screen with Print and Save as PDF (statements and redemption receipts).
    ``on_printed(printer_name, pages)`` and ``on_saved(path)`` are called after a print job was
    sent / a copy was saved (for the caller's audit); ``make_printer`` gives the printer to set up
    in the print dialog (a receipt's 80 mm page), by default the system's default printer."""

    sig_printed = Signal(str)
    sig_saved = Signal(str)

    def __init__(
        self,
        path: Path,
        *,
        title: str,
        suggested_name: str,
        on_printed: Callable[[str, int], None] | None = None,
        on_saved: Callable[[Path], None] | None = None,
        make_printer: Callable[[], QPrinter] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("PdfPreviewDialog")
        self.setWindowTitle(title)
        self.resize(900, 1000)
        self.path = Path(path)
        self._suggested = suggested_name
        self._on_printed = on_printed
        self._on_saved = on_saved
        self._make_printer = make_printer
        self.document = QPdfDocument(self)
        self.document.load(str(self.path))
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        self.print_button = QPushButton(self.tr("&Print…"))
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self.print_button.setToolTip(self.tr("Print on a printer chosen in the system dialog (Ctrl+P)"))
        self.print_button.clicked.connect(self.print_document)
        self.save_button = QPushButton(self.tr("&Save as PDF…"))
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.setToolTip(self.tr("Save a copy of this PDF (Ctrl+S)"))
        self.save_button.clicked.connect(self.save_copy)
        self.fit_button = QPushButton(self.tr("&Whole page"))
        self.fit_button.setCheckable(True)
        self.fit_button.toggled.connect(
            lambda on: self.view.setZoomMode(QPdfView.ZoomMode.FitInView if on else QPdfView.ZoomMode.FitToWidth)
        )
        page = self.document.pagePointSize(0)
        # a receipt roll (80 mm wide, long) fitted to the width would open on its top half only: show it whole
        self.fit_button.setChecked(page.width() > 0 and page.height() / page.width() > 1.6)
        self.pages = named(QLabel(), "Muted")
        self.pages.setText(self.tr("%Ln page(s)", "", self.document.pageCount()))
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)

        bar = QHBoxLayout()
        bar.addWidget(self.print_button)
        bar.addWidget(self.save_button)
        bar.addWidget(self.fit_button)
        bar.addStretch(1)
        bar.addWidget(self.pages)
        bar.addWidget(close)
        box = QVBoxLayout(self)
        box.addLayout(bar)
        box.addWidget(self.view, 1)

    def page_count(self) -> int:
        return self.document.pageCount()

    def print_document(self) -> None:
        printer = self._make_printer() if self._make_printer is not None else QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self._suggested)
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, max(1, self.page_count()))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        pages = self.print_to(printer)
        if pages and self._on_printed is not None:
            self._on_printed(printer.printerName() or printer.outputFileName() or "", pages)
        self.sig_printed.emit(printer.printerName())

    def print_to(self, printer: QPrinter) -> int:
        """Renders the pages (the range chosen in the dialog, else all) into ``printer``; returns how many."""
        return print_pdf(self.document, printer, printer.fromPage(), printer.toPage())

    def save_copy(self) -> None:
        target, _ = QFileDialog.getSaveFileName(self, self.tr("Save as PDF"), self._suggested, self.tr("PDF files (*.pdf)"))
        if target:
            self.save_to(Path(target))

    def save_to(self, target: Path) -> None:
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        shutil.copyfile(self.path, target)
        if self._on_saved is not None:
            self._on_saved(target)
        self.sig_saved.emit(str(target))

    def first_page_image(self, width: int = 900) -> QImage:
        """The first page as an image (screenshots)."""
        size = self.document.pagePointSize(0)
        height = int(width * size.height() / max(1.0, size.width()))
        return self.document.render(0, QSize(width, height))


# ---------------------------------------------------------------------- statement dialog


class StatementDialog(ScreenDialog):
    """Period (this month, last 12 months, custom) and language; OK builds the statement in the
    background and opens the preview."""

    sig_preview_opened = Signal(object)  # PdfPreviewDialog

    def __init__(self, context: ScreenContext, member_no: str, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("StatementDialog")
        self.member_no = member_no
        self.preview: PdfPreviewDialog | None = None
        self.data: Any = None
        self._folder = tempfile.TemporaryDirectory(prefix="loyalty-statement-")
        self.setWindowTitle(self.tr("Member statement {member_no}").format(member_no=member_no))

        self.this_month = QRadioButton(self.tr("This &month"))
        self.last_12 = QRadioButton(self.tr("&Last 12 months"))
        self.custom = QRadioButton(self.tr("&Custom period"))
        self.last_12.setChecked(True)
        group = QButtonGroup(self)
        for button in (self.this_month, self.last_12, self.custom):
            group.addButton(button)
            button.toggled.connect(self._period_changed)
        today = self._services.statements.today()
        self.date_from = QDateEdit(fmt.qdate(today.replace(day=1)))
        self.date_to = QDateEdit(fmt.qdate(today))
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(fmt.date_edit_format())
            edit.setMaximumDate(fmt.qdate(today))
        self.language = QComboBox()
        self.language.addItem("中文", "zh_CN")
        self.language.addItem("English", "en")
        language = getattr(context.settings, "language", "zh_CN") or "zh_CN"
        self.language.setCurrentIndex(1 if str(language).startswith("en") else 0)
        self.error = named(QLabel(), "ErrorText")
        self.error.setWordWrap(True)

        custom_row = QHBoxLayout()
        custom_row.addWidget(self.date_from)
        custom_row.addWidget(QLabel("–"))
        custom_row.addWidget(self.date_to)
        form = QFormLayout()
        form.addRow(self.tr("Period"), self.this_month)
        form.addRow("", self.last_12)
        form.addRow("", self.custom)
        form.addRow("", custom_row)
        form.addRow(self.tr("Language"), self.language)
        self.buttons = dialog_buttons(self, self.tr("Preview"), self.tr("Cancel"), on_ok=self.build)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.error)
        box.addWidget(self.buttons)
        self._period_changed()

    def period(self) -> tuple[date, date]:
        from loyalty_desk.services.statements.service import period_for

        today = self._services.statements.today()
        if self.this_month.isChecked():
            return period_for("this_month", today)
        if self.last_12.isChecked():
            return period_for("last_12_months", today)
        return fmt.pydate(self.date_from.date()), fmt.pydate(self.date_to.date())

    def _period_changed(self, *_: object) -> None:
        custom = self.custom.isChecked()
        self.date_from.setEnabled(custom)
        self.date_to.setEnabled(custom)

    def build(self) -> None:
        """Builds and renders on a worker; the preview opens when the PDF is ready."""
        period_from, period_to = self.period()
        language = self.language.currentData()
        statements = self._services.statements
        folder = Path(self._folder.name)
        member_no = self.member_no

        def work() -> tuple[Any, Path]:  # runs on a worker thread
            data = statements.build(member_no=member_no, period_from=period_from, period_to=period_to, language=language)
            return data, statements.render(data, folder / f"{data.statement_no}.pdf")

        self.ok_button.setEnabled(False)
        self.error.clear()
        self.run(work, on_result=self._built, on_error=self._failed)

    def _built(self, result: tuple[Any, Path]) -> None:
        self.ok_button.setEnabled(True)
        self.data, path = result
        data = self.data
        statements = self._services.statements
        actor = session_actor(self._context)
        runner = self._context.runner

        def printed(printer: str, pages: int) -> None:
            runner.write(statements.record_print, data, actor=actor, printer=printer, pages=pages)

        def saved(target: Path) -> None:
            runner.write(statements.render, data, target, actor=actor)

        self.preview = PdfPreviewDialog(
            path,
            title=self.tr("Statement {number}").format(number=data.statement_no),
            suggested_name=f"{data.member_no}-{data.period_from:%Y%m%d}-{data.period_to:%Y%m%d}.pdf",
            on_printed=printed,
            on_saved=saved,
            parent=self.parentWidget() or self,
        )
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview.show()
        self.sig_preview_opened.emit(self.preview)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.ok_button.setEnabled(True)
        self.error.setText(error_message(error))
        self.sig_failed.emit(error)


# ---------------------------------------------------------------------- batch


class BatchStatementsDialog(ScreenDialog):
    """Statements for a list of members (an Excel/CSV list, or a branch's active members), one
    PDF each or one combined file, in the background with progress and Cancel."""

    sig_finished = Signal(object)  # BatchResult

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("BatchStatementsDialog")
        self.task: Any = None
        self.setWindowTitle(self.tr("Batch statements"))
        self.list_file = QLineEdit()
        self.list_file.setPlaceholderText(self.tr("Excel or CSV file with a member_no column"))
        file_row = path_row(self.list_file, self.tr("Browse…"), self._browse_list)
        self.branch = QLineEdit(context.session.branch_code)
        self.use_branch = QCheckBox(self.tr("All active members of the branch instead"))
        today = self._services.statements.today()
        from loyalty_desk.services.statements.service import period_for

        start, end = period_for("last_12_months", today)
        self.date_from, self.date_to = QDateEdit(fmt.qdate(start)), QDateEdit(fmt.qdate(end))
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(fmt.date_edit_format())
        self.language = QComboBox()
        self.language.addItem("中文", "zh_CN")
        self.language.addItem("English", "en")
        self.out = QLineEdit()
        out_row = path_row(self.out, self.tr("Browse…"), self._browse_out)
        self.combined = QCheckBox(self.tr("One combined PDF"))
        self.status = named(QLabel(), "Muted")
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Member list"), file_row)
        form.addRow("", self.use_branch)
        form.addRow(self.tr("Branch"), self.branch)
        form.addRow(self.tr("Period"), period_row(self.date_from, self.date_to))
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Save to"), out_row)
        form.addRow("", self.combined)
        self.buttons = dialog_buttons(self, self.tr("Start"), self.tr("Close"), cancel=QDialogButtonBox.StandardButton.Close, on_ok=self.start)
        self.start_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        add_all(QVBoxLayout(self), form, self.status, self.buttons)

    def _browse_list(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Member list"), "", self.tr("Excel or CSV (*.xlsx *.csv)"))
        if name:
            self.list_file.setText(name)

    def _browse_out(self) -> None:
        if self.combined.isChecked():
            name, _ = QFileDialog.getSaveFileName(self, self.tr("Save to"), "statements.pdf", self.tr("PDF files (*.pdf)"))
        else:
            name = QFileDialog.getExistingDirectory(self, self.tr("Save to"))
        if name:
            self.out.setText(name)

    def start(self) -> None:
        from loyalty_desk.services.statements.batch import run_batch

        if not self.out.text().strip():
            self.status.setText(self.tr("Choose where to save the statements."))
            return
        services = self._services
        use_branch = self.use_branch.isChecked()
        list_path = Path(self.list_file.text().strip()) if self.list_file.text().strip() else None
        if not use_branch and list_path is None:
            self.status.setText(self.tr("Choose a member list, or tick the branch option."))
            return
        branch = self.branch.text().strip().upper()
        period_from, period_to = fmt.pydate(self.date_from.date()), fmt.pydate(self.date_to.date())
        language = self.language.currentData()
        out = Path(self.out.text().strip())
        combined = self.combined.isChecked()
        actor = session_actor(self._context)

        def job(state: Any) -> Any:  # on a worker thread; ``state`` reports progress and cancellation
            state.set_status("statements.reading")
            if use_branch or list_path is None:
                member_nos = services.statements.member_nos(branch_code=branch)
            else:
                member_nos = services.member_import.read_member_list(list_path)
            return run_batch(
                state, service=services.statements, member_nos=member_nos, period_from=period_from, period_to=period_to,
                language=language, out=out, combined=combined, actor=actor,
            )

        self.start_button.setEnabled(False)
        self.status.setText(self.tr("Writing statements…"))
        self.task = self.run(
            job, progress=True, progress_parent=self, progress_title=self.tr("Writing statements"), on_result=self._finished, on_error=self._failed
        )

    def _finished(self, result: Any) -> None:
        self.start_button.setEnabled(True)
        text = self.tr("{done} of {total} statements written.").format(done=result.statements, total=result.requested)
        if result.cancelled:
            text = self.tr("Cancelled: {done} of {total} statements written.").format(done=len(result.written), total=result.requested)
        if result.failed:
            text += " " + self.tr("%Ln member(s) could not be found.", "", len(result.failed))
        self.status.setText(text)
        self.sig_finished.emit(result)

    def _failed(self, error: BaseException) -> None:
        self.start_button.setEnabled(True)
        self.status.setText(error_message(error))
        self.sig_failed.emit(error)
