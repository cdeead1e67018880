"""Screen 8, "Statements and exports": batch statements, Excel exports, the member import and
the import templates. Every long job runs on a worker with a progress dialog and Cancel; what
the services refuse is shown in the banner, in words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from loyalty_desk.services.exports import EXPORT_KINDS, PERIOD_KINDS, TEMPLATE_KINDS, WITHIN_DAYS
from loyalty_desk.ui import fmt
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.screens.base import Screen
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.screens.statements import BatchStatementsDialog, session_actor
from loyalty_desk.ui.widgets import add_all, column, named, period_row, push_button, refill_combo


class DocumentsScreen(Screen):
    sig_exported = Signal(object)  # ExportResult
    sig_imported = Signal(object)  # MemberImportReport

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.batch_dialog: BatchStatementsDialog | None = None
        today = self._services.statements.today()
        self.title = named(QLabel(), "PageTitle")

        # statements
        self.statements_card = named(QFrame(), "Card")
        self.statements_heading = named(QLabel(), "FieldValue")
        self.batch_button = push_button(None, self.open_batch)
        box = add_all(QVBoxLayout(self.statements_card), self.statements_heading)
        box.addWidget(self.batch_button, 0, Qt.AlignmentFlag.AlignLeft)

        # exports
        self.exports_card = named(QFrame(), "Card")
        self.exports_heading = named(QLabel(), "FieldValue")
        self.kind = QComboBox()
        self.branch = QLineEdit(context.session.branch_code)
        self.date_from, self.date_to = QDateEdit(fmt.qdate(today.replace(day=1))), QDateEdit(fmt.qdate(today))
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
        self.within = QComboBox()
        for days in WITHIN_DAYS:
            self.within.addItem(str(days), days)
        self.export_button = push_button(None, self.ask_export)
        self.kind_label, self.branch_label, self.period_label, self.within_label = QLabel(), QLabel(), QLabel(), QLabel()
        grid = QGridLayout()
        grid.addWidget(self.kind_label, 0, 0)
        grid.addWidget(self.kind, 0, 1)
        grid.addWidget(self.branch_label, 0, 2)
        grid.addWidget(self.branch, 0, 3)
        grid.addWidget(self.period_label, 1, 0)
        self.period = QWidget()  # shown only for the kinds that take a period (and "within" only for expiring points)
        period = period_row(self.date_from, self.date_to)
        period.setContentsMargins(0, 0, 0, 0)
        self.period.setLayout(period)
        grid.addWidget(self.period, 1, 1)
        grid.addWidget(self.within_label, 1, 2)
        grid.addWidget(self.within, 1, 3)
        grid.setColumnStretch(4, 1)
        box = add_all(QVBoxLayout(self.exports_card), self.exports_heading, grid)
        box.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.kind.currentIndexChanged.connect(self._show_fields_of_kind)

        # imports and templates
        self.imports_card = named(QFrame(), "Card")
        self.imports_heading = named(QLabel(), "FieldValue")
        self.skip_invalid = QCheckBox()
        self.import_button = push_button(None, self.ask_import)
        self.template_kind = QComboBox()
        self.template_button = push_button(None, self.ask_template)
        add_all(QVBoxLayout(self.imports_card), self.imports_heading, add_all(QHBoxLayout(), self.import_button, self.skip_invalid, 1),
                add_all(QHBoxLayout(), self.template_kind, self.template_button, 1))

        column(self, (24, 18, 24, 18), 12, self.title, self.banner, self.statements_card, self.exports_card, self.imports_card, 1)
        role = context.session.role
        self.statements_card.setVisible(role in ("officer", "supervisor"))
        self.imports_card.setVisible(role in ("officer", "supervisor", "admin"))
        self.retranslate()

    # ------------------------------------------------------------------ screen protocol

    def default_focus(self) -> QWidget:
        return self.kind

    def activate(self, **_: object) -> None:
        pass

    def retranslate(self) -> None:
        self.title.setText(self.tr("Statements and exports"))
        self.statements_heading.setText(self.tr("Member statements"))
        self.batch_button.setText(self.tr("Batch statements…"))
        self.exports_heading.setText(self.tr("Excel exports"))
        names = {
            "members": self.tr("Member list"),
            "ledger": self.tr("Ledger for a period"),
            "expiring": self.tr("Points expiring (outreach list)"),
            "journal": self.tr("Branch daily journal by officer"),
            "redemptions": self.tr("Redemptions and stock"),
            "approvals": self.tr("Pending approvals"),
            "referrals": self.tr("Referral report"),
        }
        refill_combo(self.kind, [(names[kind], kind) for kind in EXPORT_KINDS])
        self._show_fields_of_kind()
        for edit in (self.date_from, self.date_to):
            edit.setDisplayFormat(fmt.date_edit_format())
        self.kind_label.setText(self.tr("&Export"))
        self.kind_label.setBuddy(self.kind)
        self.branch_label.setText(self.tr("Branch"))
        self.period_label.setText(self.tr("Period"))
        self.within_label.setText(self.tr("Expiring within (days)"))
        self.export_button.setText(self.tr("Export to Excel…"))
        self.imports_heading.setText(self.tr("Imports"))
        self.import_button.setText(self.tr("Import new members…"))
        self.skip_invalid.setText(self.tr("Register the good rows even when some rows are bad"))
        templates = {"members": self.tr("New members"), "transactions": self.tr("Earning transactions"), "adjustments": self.tr("Adjustment requests")}
        refill_combo(self.template_kind, [(templates[kind], kind) for kind in TEMPLATE_KINDS])
        self.template_button.setText(self.tr("Download template…"))

    def _show_fields_of_kind(self) -> None:
        kind = self.kind.currentData()
        for widget in (self.period_label, self.period):
            widget.setVisible(kind in PERIOD_KINDS)
        for widget in (self.within_label, self.within):
            widget.setVisible(kind == "expiring")

    # ------------------------------------------------------------------ actions

    def open_batch(self) -> None:
        self.batch_dialog = BatchStatementsDialog(self._context, self)
        self.batch_dialog.open()

    def ask_export(self) -> None:
        kind = self.kind.currentData()
        csv_files = self.tr("CSV files (*.csv)")
        name, chosen = QFileDialog.getSaveFileName(self, self.tr("Export to Excel"), f"{kind}.xlsx",
                                                   self.tr("Excel workbooks (*.xlsx)") + ";;" + csv_files)
        if name:
            path = Path(name)
            if path.suffix.lower() not in (".xlsx", ".csv"):
                path = path.with_name(path.name + (".csv" if chosen == csv_files else ".xlsx"))
            self.export(path)

    def export(self, path: Path) -> None:
        exports = self._services.exports
        kwargs: dict[str, Any] = {
            "kind": self.kind.currentData(),
            "session": self._context.session,
            "path": path,
            "branch_code": self.branch.text().strip() or None,
            "date_from": fmt.pydate(self.date_from.date()),
            "date_to": fmt.pydate(self.date_to.date()),
            "within_days": self.within.currentData(),
        }

        def job(state: Any) -> Any:
            return exports.export(progress=state, **kwargs)

        self.set_banner("")
        self.write(
            job, progress=True, progress_parent=self, progress_title=self.tr("Exporting"), on_result=self._exported, on_error=self._failed
        )

    def _exported(self, result: Any) -> None:
        self.set_banner(self.tr("{rows} rows exported to {path}.").format(rows=result.rows, path=result.path))
        self.sig_exported.emit(result)

    def ask_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Import new members"), "", self.tr("Excel or CSV (*.xlsx *.csv)"))
        if name:
            self.import_members(Path(name))

    def import_members(self, path: Path) -> None:
        service = self._services.member_import
        actor = session_actor(self._context)
        skip = self.skip_invalid.isChecked()

        def job(state: Any) -> Any:
            return service.import_members(path=path, actor=actor, skip_invalid=skip, default_branch=self._context.session.branch_code, progress=state)

        self.set_banner("")
        self.write(
            job, progress=True, progress_parent=self, progress_title=self.tr("Importing members"), on_result=self._imported, on_error=self._failed
        )

    def _imported(self, report: Any) -> None:
        if not report.posted:
            text = self.tr("Nothing registered: %Ln problem(s). The error report is {path}.", "", len(report.problems)).format(path=report.error_report)
        else:
            text = self.tr("{registered} members registered, {already} already registered.").format(
                registered=report.registered, already=report.already_registered
            )
            if report.error_report:
                text += " " + self.tr("Skipped rows are listed in {path}.").format(path=report.error_report)
        self.set_banner(text)
        self.sig_imported.emit(report)

    def ask_template(self) -> None:
        kind = self.template_kind.currentData()
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Download template"), f"{kind}-template.xlsx", self.tr("Excel workbooks (*.xlsx)"))
        if name:
            from loyalty_desk.services.members.file_import import write_template

            try:
                write_template(kind, Path(name))
            except OSError as error:
                self.set_banner(str(error))
                return
            self.set_banner(self.tr("Template saved to {path}.").format(path=name))

    def _failed(self, error: BaseException) -> None:
        self.set_banner(error_message(error))
        self.sig_failed.emit(error)
