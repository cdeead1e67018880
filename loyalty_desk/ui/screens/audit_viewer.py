"""The audit viewer (auditors, supervisors): the trail with filters by user, member, action and
date; each row's before and after; "Verify integrity" (the hash-chain check, with progress,
naming the first bad row); export of the filtered trail to Excel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from loyalty_desk.ui import audit_words as words
from loyalty_desk.ui import fmt
from loyalty_desk.ui.icons import icon
from loyalty_desk.ui.models import _RowsModel
from loyalty_desk.ui.screens.base import TableScreen, filter_grid, page_layout, title_row
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.widgets import Resize, add_all, date_range_edits, named, picked_date, push_button, record_table, set_texts

PAGE_SIZE = 200


class AuditModel(_RowsModel):
    numeric_columns = frozenset({0})

    def headers(self) -> list[str]:
        return [self.tr("No."), self.tr("Time"), self.tr("User"), self.tr("Action"), self.tr("Member"), self.tr("Entity"), self.tr("Branch")]

    def cell(self, row: Any, column: int) -> str:
        return [str(row.id), fmt.datetime_utc(row.occurred_at), person(row), words.action_name(row.action), member_text(row),
                subject(row), row.branch_code or ""][column]


def person(row: Any) -> str:
    """The staff member who acted, by the name colleagues know them by."""
    return row.actor_name or row.actor


def member_text(row: Any) -> str:
    return f"{row.member_no} {row.member_name}" if row.member_no and row.member_name else (row.member_no or "")


def subject(row: Any) -> str:
    name = row.subject_en if QLocale().language() == QLocale.Language.English and row.subject_en else row.subject
    return words.subject_text(row.subject_kind, name)


def detail_rows(details: dict[str, Any] | None) -> list[list[str]]:
    """Field and value per detail; a refusal (``reason_code`` with its ``params``) reads as the sentence the desk shows for it."""
    from loyalty_desk.messages import MESSAGES
    from loyalty_desk.ui.screens.sync_status.models import reason_text

    details = dict(details or {})
    code = details.get("reason_code")
    refusal = reason_text(code, details.pop("params", None)) if isinstance(code, str) and code in MESSAGES else None
    return [[words.field_name(key), refusal if refusal is not None and key == "reason_code"
             else words.value_text(key, value)] for key, value in details.items()]


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            table.setItem(r, c, item)
    table.resizeRowsToContents()


class AuditScreen(TableScreen):
    sig_loaded = Signal(object)  # AuditPage
    sig_verified = Signal(object)  # AuditVerifyResult
    sig_exported = Signal(object)  # rows written (boxed as object)

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.page: Any = None
        self.offset = 0
        self.verify_result: Any = None

        self.title = named(QLabel(), "PageTitle")
        self.verify_button = push_button(icon("approvals"), self.verify, shortcut="Ctrl+I")
        self.export_button = push_button(icon("print"), self.ask_export, shortcut="Ctrl+E")
        top = title_row(self.title, None, self.verify_button, self.export_button)

        self.user = named(QLineEdit(), "UserFilter")
        self.member = named(QLineEdit(), "MemberFilter")
        self.member.setMaxLength(11)
        self.action = named(QComboBox(), "ActionFilter")
        self.action.setEditable(True)
        self.date_from, self.date_to = date_range_edits(120)
        self.search_button = push_button(icon("search"), self.search)
        self.search_button.setDefault(True)
        for line in (self.user, self.member):
            line.setClearButtonEnabled(True)
            line.returnPressed.connect(self.search)
        action_line = self.action.lineEdit()
        assert action_line is not None  # the action filter is editable
        action_line.returnPressed.connect(self.search)
        self.filter_labels, filters = filter_grid((self.user, self.member, self.action, self.date_from, self.date_to))
        filters.addWidget(self.search_button, 1, 5, Qt.AlignmentFlag.AlignLeft)
        for column in (1, 3, 5):
            filters.setColumnStretch(column, 1)

        self.model = AuditModel(self)
        self.table = record_table(self.model, self._selection_changed, resize=Resize.ResizeToContents, stretch_last=True, row_height=26)

        self.detail = named(QFrame(), "Card")
        self.detail_title = named(QLabel(), "FieldValue")
        self.detail_title.setWordWrap(True)
        self.changes_label, self.details_label = named(QLabel(), "FieldLabel"), named(QLabel(), "FieldLabel")
        # What changed: one row per changed field (field, before, after); details: field, value.
        self.changes, self.details = QTableWidget(0, 3), QTableWidget(0, 2)
        self.changes.setObjectName("AuditChanges")
        self.details.setObjectName("AuditDetails")
        for table in (self.changes, self.details):
            table.verticalHeader().setVisible(False)
            table.horizontalHeader().setStretchLastSection(True)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            table.setWordWrap(True)
        grid = QGridLayout(self.detail)
        grid.setContentsMargins(12, 10, 12, 10)
        grid.addWidget(self.detail_title, 0, 0, 1, 2)
        for column, (label, table) in enumerate(((self.changes_label, self.changes), (self.details_label, self.details))):
            grid.addWidget(label, 1, column)
            grid.addWidget(table, 2, column)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)

        self.prev_button = push_button(None, lambda: self.load(max(0, self.offset - PAGE_SIZE)))
        self.next_button = push_button(None, lambda: self.load(self.offset + PAGE_SIZE))
        self.count = named(QLabel(), "Muted")
        paging = add_all(QHBoxLayout(), (self.count, 1), self.prev_button, self.next_button)

        splitter = QSplitter(Qt.Orientation.Vertical)
        upper = QWidget()
        upper_box = QVBoxLayout(upper)
        upper_box.setContentsMargins(0, 0, 0, 0)
        add_all(upper_box, (self.table, 1), paging)
        splitter.addWidget(upper)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        page_layout(self, top, filters, self.banner, (splitter, 1))
        self.retranslate()
        self._selection_changed()

    # ------------------------------------------------------------------ screen protocol

    def default_focus(self) -> QWidget:
        return self.user

    def activate(self, **_: object) -> None:
        if self.page is None:
            self.search()

    def retranslate(self) -> None:
        set_texts(
            (self.title, self.tr("Audit trail")),
            (self.verify_button, self.tr("Verify integrity"), self.tr("Check the hash chain of the whole trail (Ctrl+I)")),
            (self.export_button, self.tr("Export to Excel…"), self.tr("Write the filtered trail to an Excel workbook (Ctrl+E)")),
            *zip(self.filter_labels, (self.tr("&User"), self.tr("&Member"), self.tr("&Action"), self.tr("&From"), self.tr("T&o")), strict=True),
            (self.search_button, self.tr("Search")),
            (self.changes_label, self.tr("What changed")),
            (self.details_label, self.tr("Details")),
            (self.prev_button, self.tr("Newer")),
            (self.next_button, self.tr("Older")),
        )
        self.user.setPlaceholderText(self.tr("username"))
        self.member.setPlaceholderText(self.tr("member no."))
        current = self.action.currentText()
        self.action.clear()
        self.action.addItem(self.tr("All actions"), "")
        for prefix in self._services.audit_viewer.actions():
            self.action.addItem(words.group_name(prefix), prefix)
        self.action.setCurrentText(current if current and current != self.action.itemText(0) else self.action.itemText(0))
        for edit in (self.date_from, self.date_to):
            edit.setSpecialValueText(self.tr("any date"))
        self.changes.setHorizontalHeaderLabels([self.tr("Field"), self.tr("Before"), self.tr("After")])
        self.details.setHorizontalHeaderLabels([self.tr("Field"), self.tr("Value")])
        self.model.retranslate()

    # ------------------------------------------------------------------ loading

    def filters(self) -> Any:
        from loyalty_desk.services.audit_viewer import AuditFilter

        action = self.action.currentText().strip()
        index = self.action.findText(action)
        if index >= 0:  # a group from the list: its prefix; anything typed is taken as a prefix itself
            action = self.action.itemData(index) or ""
        return AuditFilter(actor=self.user.text().strip() or None, member_no=self.member.text().strip().upper() or None,
                           action=action or None, date_from=picked_date(self.date_from), date_to=picked_date(self.date_to))

    def filters_text(self) -> str:
        """The filters in force, worded as the filter bar labels them (the export's first line)."""
        filters = self.filters()
        parts = [(self.tr("User"), filters.actor), (self.tr("Member"), filters.member_no),
                 (self.tr("Action"), words.group_name(filters.action) if filters.action else None),
                 (self.tr("From"), fmt.day(filters.date_from) if filters.date_from else None),
                 (self.tr("To"), fmt.day(filters.date_to) if filters.date_to else None)]
        return self.tr(", ").join(self.tr("{name}: {value}").format(name=name, value=value) for name, value in parts if value)

    def search(self) -> None:
        self.load(0)

    def load(self, offset: int) -> None:
        self.run_latest(
            "load", self._services.audit_viewer.search, session=self._context.session, filters=self.filters(), offset=offset, limit=PAGE_SIZE,
            on_result=self._loaded,
            on_error=self.report_failure,
        )

    def _loaded(self, page: Any) -> None:
        self.page = page
        self.offset = page.offset
        self.model.set_rows(page.rows)
        first = page.offset + 1 if page.rows else 0
        self.count.setText(self.tr("{first}–{last} of {total} events").format(
            first=fmt.number(first), last=fmt.number(page.offset + len(page.rows)), total=fmt.number(page.total)))
        self.prev_button.setEnabled(page.offset > 0)
        self.next_button.setEnabled(page.offset + len(page.rows) < page.total)
        if page.rows:
            self.table.selectRow(0)
        self._selection_changed()
        self.sig_loaded.emit(page)

    def _selection_changed(self, *_: object) -> None:
        row = self.selected()
        if row is None:
            self.detail_title.setText(self.tr("Select an event to see what changed."))
            _fill(self.changes, [])
            _fill(self.details, [])
            return
        about = " · ".join(part for part in (subject(row), member_text(row)) if part)
        self.detail_title.setText(self.tr("Event {id}: {user} — {action}{about}, at desk {desk}, {time}").format(
            id=row.id, action=words.action_name(row.action), about=f" ({about})" if about else "", user=person(row), desk=row.desk,
            time=fmt.datetime_utc(row.occurred_at)))
        _fill(self.changes, [[words.field_name(key), words.value_text(key, old), words.value_text(key, new)]
                             for key, old, new in words.changed_fields(row.before, row.after)])
        _fill(self.details, detail_rows(row.details))

    # ------------------------------------------------------------------ verify and export

    def verify(self) -> None:
        self.verify_button.setEnabled(False)
        self.set_banner(self.tr("Verifying the audit trail…"))
        self.write(
            self._services.audit_viewer.verify, session=self._context.session, progress=True, progress_parent=self,
            progress_title=self.tr("Verifying the audit trail"), on_result=self._verified, on_error=self._failed,
        )

    def _verified(self, result: Any) -> None:
        self.verify_button.setEnabled(True)
        self.verify_result = result
        if result.ok:
            self.set_banner(self.tr("Audit trail intact: {n} events checked.").format(n=fmt.number(result.rows_checked)))
        else:
            problems = {
                "hash_mismatch": self.tr("the event was changed after it was written"),
                "chain_broken": self.tr("the link to the event before it is broken (an event was changed, removed or reordered)"),
                "sequence_gap": self.tr("an event is missing"),
                "digest_mismatch": self.tr("it does not match the saved digest"),
                "truncated": self.tr("events at the end were removed"),
                "cancelled": self.tr("the check was cancelled"),
            }
            self.set_banner(self.tr("Audit trail broken at event {row}: {problem}. {n} events before it are intact.").format(
                row=result.first_bad_row, problem=problems.get(result.problem, result.problem), n=fmt.number(result.rows_checked)), "error")
        self.sig_verified.emit(result)
        self.load(self.offset)

    def ask_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export the audit trail"), "audit-trail.xlsx", self.tr("Excel workbook (*.xlsx)"))
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> None:
        self.export_button.setEnabled(False)
        self.write(
            self._services.audit_viewer.export, session=self._context.session, filters=self.filters(), path=Path(path),
            words=words.wording(), english=QLocale().language() == QLocale.Language.English, filters_text=self.filters_text(),
            progress=True, progress_parent=self, progress_title=self.tr("Exporting the audit trail"),
            on_result=lambda count: self._exported(path, count), on_error=self._failed,
        )

    def _exported(self, path: Path, count: int) -> None:
        self.export_button.setEnabled(True)
        self.set_banner(self.tr("{n} events written to {file}.").format(n=fmt.number(count), file=str(path)))
        self.sig_exported.emit(count)

    def _failed(self, error: BaseException) -> None:
        self.verify_button.setEnabled(True)
        self.export_button.setEnabled(True)
        self.show_error(error)
        self.sig_failed.emit(error)
