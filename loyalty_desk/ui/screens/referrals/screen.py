"""Referrals: the branch list and the supervisor's flagged list."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QFrame, QHBoxLayout, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from loyalty_desk.domain.referrals import DECISION_NOTE_MAXIMUM
from loyalty_desk.ui import fmt
from loyalty_desk.ui.icons import icon
from loyalty_desk.ui.models import ROW_ROLE
from loyalty_desk.ui.screens.base import TableScreen, page_layout
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.screens.referrals.models import STATUSES, ReferralsModel, flag_text, status_label
from loyalty_desk.ui.widgets import (
    CountedLineEdit,
    Resize,
    add_all,
    date_range_edits,
    field_error,
    named,
    picked_date,
    push_button,
    record_table,
    refill_combo,
    refuse_at,
    set_texts,
    show_field_error,
)


class ReferralTableScreen(TableScreen):
    """A screen around a table of referrals (``self.model``) with their count beside the title; a double
    click on a row opens the member view of the referee (in the referee's column) or of the referrer."""

    sig_open_member = Signal(str)

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.count = named(QLabel(), "Muted")
        self.model = ReferralsModel(self)

    def referral_table(self, on_selection: Callable[..., object] | None = None) -> QTableView:
        table = record_table(self.model, on_selection, resize=Resize.ResizeToContents, stretch_last=True)
        table.doubleClicked.connect(self._open_member)
        return table

    def _open_member(self, index: Any) -> None:
        row = self.model.data(index, ROW_ROLE)
        if row is not None:
            self._context.navigate("member", member_no=row.referee_no if index.column() == 2 else row.referrer_no)


# ---------------------------------------------------------------------------- the branch list


class ReferralsScreen(ReferralTableScreen):
    """The branch's referrals (head office: all) with filters; Excel export of what is shown."""

    sig_loaded = Signal(object)
    sig_exported = Signal(object)  # Path

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.rows: tuple[Any, ...] = ()
        self.export_button = push_button(icon("print"), self.ask_export, name="ExportButton")
        self.export_button.setVisible(context.session.role in ("officer", "supervisor"))
        top = self.title_line(self.count, self.export_button)

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

        self.table = self.referral_table()
        page_layout(self, top, filters, self.banner, (self.table, 1))
        self.retranslate()
        self.status_filter.currentIndexChanged.connect(self.refresh)
        self.date_from.dateChanged.connect(self.refresh)
        self.date_to.dateChanged.connect(self.refresh)
        self.member_filter.textChanged.connect(lambda text: self.refresh() if len(text) in (0, 11) else None)
        self.refresh()

    def retranslate(self) -> None:
        set_texts(
            (self.title, self.tr("Referrals")),
            (self.refresh_button, self.tr("Refresh"), self.tr("Reload the list (F5)")),
            (self.export_button, self.tr("Export to Excel…"), self.tr("Save the referrals shown as an Excel workbook (recorded in the audit trail)")),
            *zip(self.filter_labels, (self.tr("&Status"), self.tr("&Member"), self.tr("&From"), self.tr("T&o")), strict=True),
        )
        refill_combo(self.status_filter, [(self.tr("All statuses"), ""), *((status_label(key), key) for key in STATUSES)])
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


class FlaggedReferralsScreen(ReferralTableScreen):
    """Flagged referrals of the branch with why they were flagged and the other referrals showing the
    same pattern; the supervisor clears or rejects the selected one with a note (audited)."""

    sig_loaded = Signal(object)  # tuple[FlaggedReferral, ...]
    sig_decided = Signal(object)  # DecisionOutcome

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.items: tuple[Any, ...] = ()
        top = self.title_line(self.count)
        self.table = self.referral_table(self._selection_changed)

        self.detail = named(QFrame(), "Card")
        self.reasons_caption = named(QLabel(), "FieldLabel")
        self.reasons = named(QLabel(), "FieldValue")
        self.reasons.setWordWrap(True)
        self.evidence_caption = named(QLabel(), "FieldLabel")
        self.evidence_model = ReferralsModel(self)
        self.evidence = record_table(self.evidence_model, resize=Resize.ResizeToContents, stretch_last=True)
        self.evidence.setMinimumHeight(120)
        self.no_evidence = named(QLabel(), "Muted")
        self.note_label = QLabel()
        self.note = named(CountedLineEdit(DECISION_NOTE_MAXIMUM), "DecisionNote")
        self.note_label.setBuddy(self.note)
        self.clear_button = push_button(icon("approvals"), self.clear_selected, shortcut="Ctrl+Return", name="Primary")
        self.reject_button = push_button(None, self.reject_selected)
        self.note.textChanged.connect(lambda _t: self._selection_changed())
        decide = add_all(QHBoxLayout(), self.note_label, (self.note, 1), self.note.counter, self.reject_button, self.clear_button)
        self.note_error = field_error(self.note)
        detail_box = QVBoxLayout(self.detail)
        detail_box.setContentsMargins(16, 12, 16, 12)
        detail_box.setSpacing(6)
        add_all(detail_box, self.reasons_caption, self.reasons, self.evidence_caption, self.evidence, self.no_evidence, decide, self.note_error)

        page_layout(self, top, self.banner, (self.table, 1), (self.detail, 1))
        self.retranslate()
        self._selection_changed()
        self.refresh()

    def retranslate(self) -> None:
        set_texts(
            (self.title, self.tr("Flagged referrals")),
            (self.refresh_button, self.tr("Refresh"), self.tr("Reload the list (F5)")),
            (self.reasons_caption, self.tr("Why it was flagged")),
            (self.evidence_caption, self.tr("Other referrals with the same address, number block or day")),
            (self.note_label, self.tr("&Note")),
            (self.clear_button, self.tr("Clear"), self.tr("Clear the flag: the referral can qualify (Ctrl+Enter)")),
            (self.reject_button, self.tr("Reject"), self.tr("Reject the referral: it will never be rewarded")),
        )
        self.note.setPlaceholderText(self.tr("what you checked (required)"))
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
            refuse_at(self.note, self.note_error, self.tr("Write what you checked in the note: a decision needs it."))
            return
        if problem := self.note.problem():
            refuse_at(self.note, self.note_error, problem)
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
