"""Referrals: the branch list and the supervisor's flagged list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QComboBox, QFileDialog, QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from loyalty_desk.ui import fmt
from loyalty_desk.ui.icons import icon
from loyalty_desk.ui.models import ROW_ROLE
from loyalty_desk.ui.screens.base import Screen, page_layout, title_row
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.screens.referrals.models import STATUSES, ReferralsModel, flag_text, status_label
from loyalty_desk.ui.widgets import Resize, date_range_edits, field_error, named, picked_date, record_table, show_field_error

# ---------------------------------------------------------------------------- the branch list


class ReferralsScreen(Screen):
    """The branch's referrals (head office: all) with filters; Excel export of what is shown."""

    sig_loaded = Signal(object)
    sig_exported = Signal(object)  # Path
    sig_open_member = Signal(str)

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.rows: tuple[Any, ...] = ()
        self.title_bar()
        self.count = named(QLabel(), "Muted")
        self.export_button = QPushButton(icon("print"), "")
        self.export_button.setObjectName("ExportButton")
        self.export_button.clicked.connect(self.ask_export)
        self.export_button.setVisible(context.session.role in ("officer", "supervisor"))
        top = title_row(self.title, self.count, self.export_button, self.refresh_button)

        self.status_filter = named(QComboBox(), "StatusFilter")
        self.member_filter = named(QLineEdit(), "MemberFilter")
        self.member_filter.setMaxLength(11)
        self.member_filter.setClearButtonEnabled(True)
        self.date_from, self.date_to = date_range_edits(130)
        self.filter_labels = [QLabel() for _ in range(4)]
        filters = QHBoxLayout()
        filters.setSpacing(8)
        for label, widget in zip(self.filter_labels, (self.status_filter, self.member_filter, self.date_from, self.date_to), strict=True):
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
        filters.addStretch(1)

        self.model = ReferralsModel(self)
        self.table = record_table(resize=Resize.ResizeToContents, stretch_last=True)
        self.table.setModel(self.model)
        self.table.doubleClicked.connect(self._open_member)
        layout = page_layout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        self.retranslate()
        self.status_filter.currentIndexChanged.connect(self.refresh)
        self.date_from.dateChanged.connect(self.refresh)
        self.date_to.dateChanged.connect(self.refresh)
        self.member_filter.textChanged.connect(lambda text: self.refresh() if len(text) in (0, 11) else None)
        self.refresh()

    def default_focus(self) -> QWidget:
        return self.table

    def retranslate(self) -> None:
        self.title.setText(self.tr("Referrals"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("Reload the list (F5)"))
        self.export_button.setText(self.tr("Export to Excel…"))
        self.export_button.setToolTip(self.tr("Save the referrals shown as an Excel workbook (recorded in the audit trail)"))
        for label, text in zip(self.filter_labels, (self.tr("&Status"), self.tr("&Member"), self.tr("&From"), self.tr("T&o")), strict=True):
            label.setText(text)
        current = self.status_filter.currentData()
        self.status_filter.blockSignals(True)
        self.status_filter.clear()
        self.status_filter.addItem(self.tr("All statuses"), "")
        for key in STATUSES:
            self.status_filter.addItem(status_label(key), key)
        self.status_filter.setCurrentIndex(max(self.status_filter.findData(current), 0) if current else 0)
        self.status_filter.blockSignals(False)
        self.member_filter.setPlaceholderText(self.tr("member no."))
        for edit in (self.date_from, self.date_to):
            edit.setSpecialValueText(self.tr("any date"))
        self.model.retranslate()

    def filters(self) -> Any:
        from loyalty_desk.services.referrals.dto import ListFilter

        member = self.member_filter.text().strip().upper()
        status = self.status_filter.currentData()
        return ListFilter(statuses=(status,) if status else (), member_no=member if len(member) == 11 else None,
                          since=picked_date(self.date_from), until=picked_date(self.date_to))

    def refresh(self) -> None:
        self.run_latest("load", self._services.referrals.list, session=self._context.session, filters=self.filters(),
                         on_result=self._show, on_error=self.report_failure)

    def _show(self, rows: Any) -> None:
        self.rows = tuple(rows)
        self.model.set_rows(self.rows)
        self.count.setText(self.tr("%Ln referral(s)", "", len(self.rows)))
        self.banner.hide()
        self.sig_loaded.emit(self.rows)


    def _open_member(self, index: Any) -> None:
        row = self.model.data(index, ROW_ROLE)
        if row is not None:
            self._context.navigate("member", member_no=row.referee_no if index.column() == 2 else row.referrer_no)

    def ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export referrals"), str(Path.home() / "referrals.xlsx"),
                                              self.tr("Excel workbook (*.xlsx)"))
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        language = self._context.settings.language
        self.run(
            self._services.referrals.export, session=self._context.session, path=path, filters=self.filters(),
            language="zh_CN" if language == "zh_CN" else "en",
            on_result=self._exported, on_error=self.report_failure,
        )

    def _exported(self, path: Any) -> None:
        self.set_banner(self.tr("Saved {file}.").format(file=str(path)))
        self.sig_exported.emit(path)


# ---------------------------------------------------------------------------- the supervisor's flagged list


class FlaggedReferralsScreen(Screen):
    """Flagged referrals of the branch with why they were flagged and the other referrals showing the
    same pattern; the supervisor clears or rejects the selected one with a note (audited)."""

    sig_loaded = Signal(object)  # tuple[FlaggedReferral, ...]
    sig_decided = Signal(object)  # DecisionOutcome
    sig_open_member = Signal(str)

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.items: tuple[Any, ...] = ()
        self.title_bar()
        self.count = named(QLabel(), "Muted")
        top = title_row(self.title, self.count, self.refresh_button)

        self.model = ReferralsModel(self)
        self.table = record_table(resize=Resize.ResizeToContents, stretch_last=True)
        self.table.setModel(self.model)
        self.table.doubleClicked.connect(self._open_member)

        self.detail = named(QFrame(), "Card")
        self.reasons_caption = named(QLabel(), "FieldLabel")
        self.reasons = named(QLabel(), "FieldValue")
        self.reasons.setWordWrap(True)
        self.evidence_caption = named(QLabel(), "FieldLabel")
        self.evidence_model = ReferralsModel(self)
        self.evidence = record_table(resize=Resize.ResizeToContents, stretch_last=True)
        self.evidence.setModel(self.evidence_model)
        self.evidence.setMinimumHeight(120)
        self.no_evidence = named(QLabel(), "Muted")
        self.note_label = QLabel()
        self.note = named(QLineEdit(), "DecisionNote")
        self.note.setMaxLength(500)
        self.note_label.setBuddy(self.note)
        self.clear_button = QPushButton(icon("approvals"), "")
        self.clear_button.setObjectName("Primary")
        self.clear_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.reject_button = QPushButton("")
        self.clear_button.clicked.connect(self.clear_selected)
        self.reject_button.clicked.connect(self.reject_selected)
        self.note.textChanged.connect(lambda _t: self._selection_changed())
        decide = QHBoxLayout()
        decide.addWidget(self.note_label)
        decide.addWidget(self.note, 1)
        decide.addWidget(self.reject_button)
        decide.addWidget(self.clear_button)
        self.note_error = field_error(self.note)
        detail_box = QVBoxLayout(self.detail)
        detail_box.setContentsMargins(16, 12, 16, 12)
        detail_box.setSpacing(6)
        detail_box.addWidget(self.reasons_caption)
        detail_box.addWidget(self.reasons)
        detail_box.addWidget(self.evidence_caption)
        detail_box.addWidget(self.evidence)
        detail_box.addWidget(self.no_evidence)
        detail_box.addLayout(decide)
        detail_box.addWidget(self.note_error)

        layout = page_layout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail, 1)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.retranslate()
        self._selection_changed()
        self.refresh()

    def default_focus(self) -> QWidget:
        return self.table

    def retranslate(self) -> None:
        self.title.setText(self.tr("Flagged referrals"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("Reload the list (F5)"))
        self.reasons_caption.setText(self.tr("Why it was flagged"))
        self.evidence_caption.setText(self.tr("Other referrals with the same address, number block or day"))
        self.note_label.setText(self.tr("&Note"))
        self.note.setPlaceholderText(self.tr("what you checked (required)"))
        self.clear_button.setText(self.tr("Clear"))
        self.clear_button.setToolTip(self.tr("Clear the flag: the referral can qualify (Ctrl+Enter)"))
        self.reject_button.setText(self.tr("Reject"))
        self.reject_button.setToolTip(self.tr("Reject the referral: it will never be rewarded"))
        self.model.retranslate()
        self.evidence_model.retranslate()
        self._selection_changed()

    def refresh(self) -> None:
        self.run_latest("load", self._services.referrals.flagged, session=self._context.session,
                         on_result=self._show, on_error=self._failed)

    def _show(self, items: Any) -> None:
        self.items = tuple(items)
        self.model.set_rows([item.referral for item in self.items])
        self.count.setText(self.tr("{n} waiting for a decision").format(n=fmt.number(len(self.items))))
        if self.items:
            self.table.selectRow(0)
        self._selection_changed()
        self.sig_loaded.emit(self.items)

    def selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows and rows[0].row() < len(self.items) else None

    def _selection_changed(self, *_: object) -> None:
        item = self.selected()
        if self.note.text().strip():
            show_field_error(self.note_error, "")
        self.clear_button.setEnabled(item is not None)
        self.reject_button.setEnabled(item is not None)
        if item is None:
            self.reasons.setText(self.tr("Select a referral to see why it was flagged."))
            self.evidence_model.set_rows(())
            return
        self.reasons.setText("\n".join(f"• {flag_text(flag)}" for flag in item.referral.flags))
        self.evidence_model.set_rows(item.evidence)
        self.no_evidence.setText("" if item.evidence else self.tr("No other referral shows the pattern: it concerns the referrer."))
        self.no_evidence.setVisible(not item.evidence)
        self.evidence.setVisible(bool(item.evidence))

    def clear_selected(self) -> None:
        self._decide(self._services.referrals.clear)

    def reject_selected(self) -> None:
        self._decide(self._services.referrals.reject)

    def _decide(self, action: Any) -> None:
        item = self.selected()
        if item is None:
            return
        if not self.note.text().strip():
            show_field_error(self.note_error, self.tr("Write what you checked in the note: a decision needs it."))
            self.note.setFocus()
            return
        self.clear_button.setEnabled(False)
        self.reject_button.setEnabled(False)
        self.write(
            action, operation_id=self._services.referrals.new_operation_id(), session=self._context.session,
            referral=item.referral.operation_id, note=self.note.text(),
            on_result=lambda outcome: self._decided(item, outcome), on_error=self._failed,
        )

    def _decided(self, item: Any, outcome: Any) -> None:
        self.set_banner(self.tr("Referral of {member} is now: {status}.").format(
            member=f"{item.referral.referee_no} {item.referral.referee_name}", status=status_label(outcome.status)))
        self.note.clear()
        self.sig_decided.emit(outcome)
        self.refresh()

    def _failed(self, error: BaseException) -> None:
        self.show_error(error)
        self._selection_changed()
        self.sig_failed.emit(error)

    def _open_member(self, index: Any) -> None:
        row = self.model.data(index, ROW_ROLE)
        if row is not None:
            self._context.navigate("member", member_no=row.referee_no if index.column() == 2 else row.referrer_no)
