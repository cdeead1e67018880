"""Sync status: the screen."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QFrame, QHBoxLayout, QLabel, QWidget

from loyalty_desk.domain.resolutions import NOTE_MAXIMUM
from loyalty_desk.services.audit import Actor
from loyalty_desk.ui import fmt
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.icons import icon
from loyalty_desk.ui.screens.base import Screen, page_layout, title_row
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.screens.sync_status.dialogs import WriteOffApprovalDialog
from loyalty_desk.ui.screens.sync_status.models import (
    RESOLUTIONS,
    RESOLVE_ROLES,
    ExceptionsModel,
    WaitingModel,
    kind_label,
    load_sync_view,
    reason_text,
    resolution_error_text,
    sync_now,
)
from loyalty_desk.ui.widgets import CountedLineEdit, Resize, add_all, named, push_button, record_table, repolish, set_texts


class SyncStatusScreen(Screen):
    sig_loaded = Signal(object)  # (SyncStatus, waiting, exceptions)
    sig_synced = Signal(object)  # the same, after "Sync now"
    sig_resolved = Signal(object)  # the exception id resolved
    sig_sync_status = Signal(object)  # SyncStatus: the status bar shows it at once
    sig_badge = Signal(int)  # open exceptions, beside the screen's name

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._sync = getattr(context.services, "sync", None)
        self._session = context.session
        self.status: Any = None
        self.waiting: list[Any] = []
        self.exceptions: list[Any] = []
        self.syncing = False
        self.operation_id: str | None = None  # the decision being made (kind sync.resolve), kept for a retry
        self.write_off_dialog: Any = None
        self.last_resolution: Any = None

        self.title_bar()
        self.state_value = named(QLabel(), "SyncState")
        self.sync_button = push_button(icon("refresh"), self.sync_now, shortcut="Ctrl+S", name="Primary")
        top = title_row(self.title, self.state_value, self.refresh_button, self.sync_button)

        self.card = named(QFrame(), "Card")
        form = QFormLayout(self.card)
        form.setContentsMargins(16, 12, 16, 12)
        self.captions: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        for key in ("central", "desk", "last_push", "last_pull", "last_error"):
            caption, value = named(QLabel(), "FieldLabel"), named(QLabel(), "FieldValue")
            value.setWordWrap(True)
            self.captions[key], self.values[key] = caption, value
            form.addRow(caption, value)

        self.waiting_caption = named(QLabel(), "SectionTitle")
        self.waiting_model = WaitingModel(self)
        self.waiting_table = record_table(self.waiting_model, resize=Resize.ResizeToContents, stretch_last=True)
        self.exceptions_caption = named(QLabel(), "SectionTitle")
        self.exceptions_model = ExceptionsModel(self)
        self.exceptions_table = record_table(self.exceptions_model, self._selection_changed, resize=Resize.ResizeToContents, stretch_last=True)
        self.exceptions_table.selectionModel().selectionChanged.connect(self._decision_changed)

        self.resolution_label = QLabel()
        self.resolution = named(QComboBox(), "Resolution")
        for key in RESOLUTIONS:
            self.resolution.addItem("", key)
        self.resolution_label.setBuddy(self.resolution)
        self.note_label = QLabel()
        self.note = named(CountedLineEdit(NOTE_MAXIMUM), "ResolutionNote")
        self.note_label.setBuddy(self.note)
        self.resolve_button = push_button(icon("approvals"), self.resolve_selected, name="ResolveButton")
        self.note.textChanged.connect(lambda _t: self._selection_changed())
        self.note.textChanged.connect(self._decision_changed)
        self.resolution.currentIndexChanged.connect(self._decision_changed)
        self.note.returnPressed.connect(self.resolve_selected)
        self.decide_row = QWidget()
        add_all(QHBoxLayout(self.decide_row), self.resolution_label, self.resolution, self.note_label, (self.note, 1), self.note.counter, self.resolve_button)
        self.decide_row.setVisible(self.can_resolve)

        page_layout(self, top, self.card, self.banner, self.waiting_caption, (self.waiting_table, 1), self.exceptions_caption,
                    (self.exceptions_table, 1), self.decide_row)
        self.retranslate()
        self.refresh()

    # ------------------------------------------------------------------ state

    @property
    def standalone(self) -> bool:
        return self._sync is None or bool(self._sync.standalone)

    @property
    def can_resolve(self) -> bool:
        return self._session.role in RESOLVE_ROLES

    def default_focus(self) -> QWidget:
        return self.exceptions_table if self.exceptions else self.sync_button

    def retranslate(self) -> None:
        set_texts(
            (self.title, self.tr("Sync status")),
            (self.refresh_button, self.tr("Refresh"), self.tr("Reload this page (F5)")),
            (self.sync_button, self.tr("Sync now"), self.tr("Send what waits and receive head office's changes now (Ctrl+S)")),
            (self.captions["central"], self.tr("Head office database")),
            (self.captions["desk"], self.tr("This desk")),
            (self.captions["last_push"], self.tr("Last sent")),
            (self.captions["last_pull"], self.tr("Last received")),
            (self.captions["last_error"], self.tr("Last problem")),
            (self.resolution_label, self.tr("&Decision")),
            (self.note_label, self.tr("&Note")),
            (self.resolve_button, self.tr("Resolve"), self.tr("Record the decision on the selected exception: it is sent to head office and audited")),
        )
        for index in range(self.resolution.count()):
            self.resolution.setItemText(index, self.tr(RESOLUTIONS[self.resolution.itemData(index)]))
        self.note.setPlaceholderText(self.tr("why this decision (required)"))
        self.waiting_model.retranslate()
        self.exceptions_model.retranslate()
        self._show_status()
        self._show_counts()

    # ------------------------------------------------------------------ loading

    def refresh(self) -> None:
        if self.standalone:
            self._show_status()
            self._show_counts()
            return
        self.run_latest("load", load_sync_view, self._sync, on_result=self._loaded, on_error=self._failed)

    def on_sync_status(self, status: Any) -> None:
        """The status bar's latest poll: the header follows; the lists reload when their counts moved."""
        if status is None or self.standalone:
            return
        moved = self.status is None or (status.waiting, status.exceptions) != (len(self.waiting), len(self.exceptions))
        self.status = status
        self._show_status()
        if moved and self.isVisible() and not self.syncing:
            self.refresh()

    def _loaded(self, view: tuple[Any, list[Any], list[Any]]) -> None:
        self._show_view(view)
        self.sig_loaded.emit(view)

    def _show_view(self, view: tuple[Any, list[Any], list[Any]]) -> None:
        status, waiting, exceptions = view
        self.status = status
        self.waiting = list(waiting)
        keep = self.selected()
        self.exceptions = list(exceptions)
        self.waiting_model.set_rows(self.waiting)
        self.exceptions_model.set_rows(self.exceptions)
        if self.exceptions:
            ids = [e.id for e in self.exceptions]
            self.exceptions_table.selectRow(ids.index(keep.id) if keep is not None and keep.id in ids else 0)
        self._show_status()
        self._show_counts()
        self.sig_badge.emit(len(self.exceptions))

    def _show_status(self) -> None:
        status = self.status
        if self.standalone:
            self.state_value.setText(self.tr("Standalone: no central database configured. This desk works on its local store only."))
            self.state_value.setProperty("tone", "")
        elif status is None:
            self.state_value.setText(self.tr("Reading the sync state…"))
        elif status.state == "online":
            self.state_value.setText(self.tr("Connected to head office"))
            self.state_value.setProperty("tone", "ok")
        else:
            self.state_value.setText(self.tr("Not connected: head office cannot be reached. The desk keeps working; what waits is sent when it can."))
            self.state_value.setProperty("tone", "warn")
        repolish(self.state_value)
        settings = getattr(self._sync, "settings", None)
        none = "–"
        self.values["central"].setText((status.central_url if status is not None else None) or (settings.display_url if settings else none))
        self.values["desk"].setText((status.desk if status is not None else None) or (settings.desk if settings else self._services.desk_name))
        self.values["last_push"].setText(fmt.datetime_utc(status.last_push) if status is not None and status.last_push else self.tr("never"))
        self.values["last_pull"].setText(fmt.datetime_utc(status.last_pull) if status is not None and status.last_pull else self.tr("never"))
        self.values["last_error"].setText((status.last_error if status is not None else None) or none)
        self.sync_button.setEnabled(not self.standalone and not self.syncing)
        self.sync_button.setVisible(not self.standalone)  # nothing to sync with: no button that looks pressable
        self.refresh_button.setVisible(not self.standalone)

    def _show_counts(self) -> None:
        self.waiting_caption.setText(self.tr("Waiting to be confirmed by head office: {n}").format(n=fmt.number(len(self.waiting))))
        self.exceptions_caption.setText(
            self.tr("Exceptions head office rejected: {n} (each stays here until a supervisor decides)").format(n=fmt.number(len(self.exceptions)))
        )
        self._selection_changed()

    # ------------------------------------------------------------------ sync now

    def sync_now(self) -> None:
        if self.standalone or self.syncing:
            return
        self.syncing = True
        self._show_status()
        self.set_banner(self.tr("Syncing with head office…"), "")
        self.run(
            sync_now, self._sync, progress=True, progress_parent=self, progress_title=self.tr("Syncing with head office"),
            on_result=self._synced, on_error=self._sync_failed,
        )

    def _synced(self, view: tuple[Any, list[Any], list[Any]]) -> None:
        self.syncing = False
        self.supersede("load")  # an older load must not overwrite this
        self._show_view(view)
        status = view[0]
        if status.state == "online":
            self.set_banner(self.tr("Synced with head office: {waiting} waiting, %Ln exception(s).", "", status.exceptions).format(
                waiting=fmt.number(status.waiting)), "")
        else:
            self.set_banner(self.tr("Head office cannot be reached: {error}").format(error=status.last_error or self.tr("no answer")), "warn")
        self.sig_sync_status.emit(status)
        self.sig_synced.emit(view)

    def _sync_failed(self, error: BaseException) -> None:
        self.syncing = False
        self._show_status()
        self._failed(error)

    # ------------------------------------------------------------------ resolving

    def selected(self) -> Any:
        rows = self.exceptions_table.selectionModel().selectedRows()
        return self.exceptions[rows[0].row()] if rows and rows[0].row() < len(self.exceptions) else None

    def _selection_changed(self, *_: object) -> None:
        self.resolve_button.setEnabled(
            self.can_resolve and self.selected() is not None and bool(self.note.text().strip()) and self.write_off_dialog is None
        )

    def _decision_changed(self, *_: object) -> None:
        """Another exception, decision or note is another operation: it gets its own id when it starts."""
        self.operation_id = None

    def resolve_selected(self) -> None:
        """The decision is a desk operation (sent to head office); its id is made here and kept until it
        succeeds, so trying again after a failure is safe. A write-off first asks a second supervisor."""
        item = self.selected()
        if item is None or not self.can_resolve or not self.resolve_button.isEnabled() or self.write_off_dialog is not None:
            return
        assert self._sync is not None  # can_resolve: a sync service is there
        if self.operation_id is None:
            self.operation_id = self._sync.new_operation_id()
        if problem := self.note.problem():
            self.set_banner(problem, "error")
            self.note.setFocus()
            return
        resolution = self.resolution.currentData()
        if resolution == "written_off":
            self._ask_write_off_approval(item)
            return
        self.resolve_button.setEnabled(False)
        self.write(
            self._sync.resolve,
            **self.resolve_arguments(item),
            on_result=lambda outcome: self._resolved(item, outcome),
            on_error=lambda error: self._resolve_failed(resolution, error),
        )

    def resolve_arguments(self, item: Any) -> dict[str, Any]:
        session = self._session
        return {
            "exception_id": item.id,
            "resolution": self.resolution.currentData(),
            "actor": Actor(session.username, self._services.desk_name, session.branch_code),
            "role": session.role,
            "note": self.note.text(),
            "operation_id": self.operation_id,
            "staff_id": session.staff_id,
        }

    def _ask_write_off_approval(self, item: Any) -> None:
        dialog = WriteOffApprovalDialog(self._context, self._sync, self.resolve_arguments(item), self.write_off_summary(item), self)
        dialog.sig_resolved.connect(lambda outcome: self._resolved(item, outcome))
        self.open_dialog("write_off_dialog", dialog, self._write_off_closed)
        self._selection_changed()  # one decision at a time

    def write_off_summary(self, item: Any) -> str:
        # the reason is a sentence of its own; inside the brackets it loses its full stop
        return self.tr("Write off {points} points for {member} ({operation}, refused by head office: {reason}). Decided by {resolver}.").format(
            points=fmt.number(item.points_given_back), member=item.member_no or "–", operation=kind_label(item.kind),
            reason=reason_text(item.reason_code, item.params).rstrip(".。"), resolver=self._session.display_name,
        )

    def _write_off_closed(self, _dialog: Any, _code: int) -> None:
        self._selection_changed()

    def _resolve_failed(self, resolution: str | None, error: BaseException) -> None:
        self.set_banner(resolution_error_text(resolution, error), "error")
        self._selection_changed()
        self.sig_failed.emit(error)

    def _resolved(self, item: Any, outcome: Any = None) -> None:
        decision = self.resolution.currentText()
        if outcome is not None and getattr(outcome, "points_debited", None):
            text = self.tr("Exception of {member} resolved: {decision}. {points} points taken again; available balance now {balance}.").format(
                member=item.member_no or item.operation_id, decision=decision, points=fmt.number(outcome.points_debited),
                balance=fmt.number(outcome.balance_after or 0))
        elif outcome is not None and getattr(outcome, "written_off_points", None):
            text = self.tr("Exception of {member} resolved: {decision}. {points} points written off, approved by {approver}.").format(
                member=item.member_no or item.operation_id, decision=decision, points=fmt.number(outcome.written_off_points),
                approver=outcome.approved_by or "–")
        else:
            text = self.tr("Exception of {member} resolved: {decision}.").format(member=item.member_no or item.operation_id, decision=decision)
        self.set_banner(text, "")
        self.operation_id = None  # the next decision is a new operation
        self.note.clear()
        self.last_resolution = outcome
        self.sig_resolved.emit(item.id)
        self.run(load_sync_view, self._sync, on_result=self._after_resolve, on_error=self._failed)

    def _after_resolve(self, view: tuple[Any, list[Any], list[Any]]) -> None:
        self.supersede("load")
        self._show_view(view)
        self.sig_sync_status.emit(view[0])

    # ------------------------------------------------------------------ misc

    def _failed(self, error: BaseException) -> None:
        self.set_banner(error_message(error), "error")
        self._selection_changed()
        self.sig_failed.emit(error)
