"""Adjustments: the supervisors' approvals queue."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from loyalty_desk.domain.errors import ValidationError
from loyalty_desk.ui import fmt
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.icons import icon
from loyalty_desk.ui.models import ROW_ROLE
from loyalty_desk.ui.screens.adjustments.models import BADGE_REFRESH_MS, REASONS, AdjustmentsModel, age_text, reason_label, status_label
from loyalty_desk.ui.screens.base import TableScreen, filter_grid, page_layout
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.widgets import (
    Resize,
    add_all,
    field_error,
    named,
    push_button,
    record_table,
    refill_combo,
    refuse_at,
    set_texts,
    show_field_error,
)

# ---------------------------------------------------------------------------- the approvals queue


class ApprovalsScreen(TableScreen):
    """Pending requests of the branch (head office: every branch) with filters and sorting;
    approve or reject the selected one with a note. Emits the pending count for the navigation badge."""

    sig_loaded = Signal(object)  # tuple[AdjustmentView, ...]
    sig_decided = Signal(object)  # AdjustmentOutcome
    sig_badge = Signal(int)
    sig_open_member = Signal(str)

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.rows: tuple[Any, ...] = ()
        self._deciding: int | None = None  # the request whose decision is being written
        self._refused_request: int | None = None  # the request the banner says was refused
        self.subtitle = named(QLabel(), "Muted")
        top = self.title_line(self.subtitle)

        self.status_filter = named(QComboBox(), "StatusFilter")
        self.reason_filter = named(QComboBox(), "ReasonFilter")
        self.direction_filter = named(QComboBox(), "DirectionFilter")
        self.member_filter = named(QLineEdit(), "MemberFilter")
        self.member_filter.setMaxLength(11)
        self.member_filter.setClearButtonEnabled(True)
        self.sort = named(QComboBox(), "Sort")
        self.filter_labels, filters = filter_grid((self.status_filter, self.reason_filter, self.direction_filter, self.member_filter, self.sort))
        filters.setColumnStretch(6, 1)

        self.model = AdjustmentsModel(self)
        self.table = record_table(self.model, self._selection_changed, resize=Resize.ResizeToContents, stretch_last=True)
        self.table.doubleClicked.connect(self._open_member)

        self.detail = named(QFrame(), "Card")
        self.detail_text = QLabel()
        self.detail_text.setWordWrap(True)
        self.detail_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note_label = QLabel()
        self.note = named(QLineEdit(), "DecisionNote")
        self.note_label.setBuddy(self.note)
        self.approve_button = push_button(icon("approvals"), self.approve_selected, shortcut="Ctrl+Return", name="Primary")
        self.reject_button = push_button(None, self.reject_selected)
        decide = add_all(QHBoxLayout(), self.note_label, (self.note, 1), self.reject_button, self.approve_button)
        self.note_error = field_error(self.note)
        self.note.textEdited.connect(lambda _text: show_field_error(self.note_error, ""))
        detail_box = QVBoxLayout(self.detail)
        detail_box.setContentsMargins(16, 12, 16, 12)
        add_all(detail_box, self.detail_text, decide, self.note_error)

        page_layout(self, top, filters, self.banner, (self.table, 1), self.detail)
        self.retranslate()
        for combo in (self.status_filter, self.reason_filter, self.direction_filter, self.sort):
            combo.currentIndexChanged.connect(self.refresh)
        self.member_filter.returnPressed.connect(self.refresh)
        self.member_filter.textChanged.connect(lambda text: self.refresh() if len(text) in (0, 11) else None)
        self.badge_timer = QTimer(self)
        self.badge_timer.setInterval(BADGE_REFRESH_MS)
        self.badge_timer.timeout.connect(self.refresh_badge)
        self.badge_timer.start()
        self._selection_changed()
        self.refresh()

    # ------------------------------------------------------------------ screen protocol

    def on_store_changed(self) -> None:
        """A request filed, decided or expired anywhere while the queue is on show (the selection is kept)."""
        self.refresh()

    def retranslate(self) -> None:
        texts = (self.tr("&Status"), self.tr("R&eason"), self.tr("&Direction"), self.tr("&Member"), self.tr("S&ort"))
        set_texts(
            (self.title, self.tr("Approvals queue")),
            (self.refresh_button, self.tr("Refresh"), self.tr("Reload the queue (F5)")),
            *zip(self.filter_labels, texts, strict=True),
            (self.note_label, self.tr("&Note")),
            (self.approve_button, self.tr("Approve"), self.tr("Approve the selected request (Ctrl+Enter)")),
            (self.reject_button, self.tr("Reject")),
        )
        refill_combo(self.status_filter, [(status_label("pending"), ("pending",)),
                                          (self.tr("Decided"), ("approved", "rejected", "cancelled", "expired")),
                                          (self.tr("All"), ("pending", "approved", "rejected", "cancelled", "expired"))])
        refill_combo(self.reason_filter, [(self.tr("All reasons"), "")] + [(reason_label(k), k) for k in REASONS])
        refill_combo(self.direction_filter, [(self.tr("Credits and debits"), ""), (self.tr("Credits"), "credit"), (self.tr("Debits"), "debit")])
        refill_combo(self.sort, [(self.tr("Oldest first"), ("age", True)), (self.tr("Newest first"), ("age", False)),
                                 (self.tr("Most points first"), ("points", True)), (self.tr("By member"), ("member", False)),
                                 (self.tr("By maker"), ("maker", False))])
        self.member_filter.setPlaceholderText(self.tr("member no."))
        self.note.setPlaceholderText(self.tr("why (required to reject)"))
        self.model.retranslate()
        self._selection_changed()

    # ------------------------------------------------------------------ loading

    def filters(self) -> Any:
        from loyalty_desk.services.adjustments.dto import QueueFilter

        member = self.member_filter.text().strip().upper()
        return QueueFilter(
            statuses=tuple(self.status_filter.currentData() or ("pending",)),
            reason_code=self.reason_filter.currentData() or None,
            direction=self.direction_filter.currentData() or None,
            member_no=member if len(member) == 11 else None,
        )

    def refresh(self, *_: object) -> None:
        sort, descending = self.sort.currentData() or ("age", True)
        self.run_latest(
            "load", self._services.adjustments.queue, session=self._context.session, filters=self.filters(), sort=sort, descending=descending,
            on_result=self._loaded,
            on_error=self.report_failure,
        )
        self.refresh_badge()

    def refresh_badge(self) -> None:
        self.run(self._services.adjustments.pending_count, session=self._context.session,
                 on_result=lambda n: self.sig_badge.emit(int(n)), on_error=lambda _e: None)

    def _loaded(self, rows: Any) -> None:
        selected = self.selected()
        self.rows = tuple(rows)
        self.model.set_rows(self.rows)
        self.subtitle.setText(self.tr("%Ln request(s)", "", len(self.rows)))
        keep = next((i for i, r in enumerate(self.rows) if selected is not None and r.request_id == selected.request_id), 0)
        if self.rows:
            self.table.selectRow(keep)
        self._selection_changed()
        self.sig_loaded.emit(self.rows)

    def select_request(self, request_id: int) -> bool:
        for number, row in enumerate(self.rows):
            if row.request_id == request_id:
                self.table.selectRow(number)
                return True
        return False

    def _selection_changed(self, *_: object) -> None:
        row = self.selected()
        if self._refused_request is not None and (row is None or row.request_id != self._refused_request):
            self._refused_request = None  # why one request was refused is not said beside another
            self.set_banner("")
        pending = row is not None and row.status == "pending"
        own = row is not None and row.maker_username == self._context.session.username
        self.approve_button.setEnabled(pending and not own)
        self.reject_button.setEnabled(pending and not own)
        self.note.setEnabled(pending and not own)
        if row is None:
            self.detail_text.setText(self.tr("Select a request to see its details."))
            return
        lines = [
            self.tr("<b>No. {id}</b> · {status} · {member} · branch {branch}").format(
                id=row.request_id, status=status_label(row.status), member=f"{row.masked_name} {row.member_no}", branch=row.branch_code),
            self.tr("{points} points · {reason} · evidence {evidence} · made by {maker} {age} ago").format(
                points=fmt.signed(row.signed_points), reason=reason_label(row.reason_code), evidence=row.evidence_ref or "–",
                maker=f"{row.maker_name} ({row.maker_username})", age=age_text(row.age_minutes)),
            self.tr("Memo: {memo}").format(memo=row.memo.replace("<", "&lt;")),
            self.tr("Approvals {n} of {needed}{who}").format(n=row.approvals, needed=row.approvals_needed,
                                                              who=(" (" + ", ".join(row.approvers) + ")") if row.approvers else ""),
        ]
        if own and pending:
            lines.append(self.tr("<i>You made this request: another supervisor must decide it.</i>"))
        if row.decision_note:
            lines.append(self.tr("Decision note: {note}").format(note=row.decision_note.replace("<", "&lt;")))
        self.detail_text.setText("<br>".join(lines))

    def _open_member(self, index: Any) -> None:
        row = self.model.data(index, ROW_ROLE)
        if row is not None:
            self.sig_open_member.emit(row.member_no)

    # ------------------------------------------------------------------ deciding

    def approve_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        self._decide(self._services.adjustments.approve, row, note=self.note.text().strip())

    def reject_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        if not self.note.text().strip():
            refuse_at(self.note, self.note_error, self.tr("Give a note saying why the request is rejected."))
            return
        self._decide(self._services.adjustments.reject, row, note=self.note.text().strip())

    def _decide(self, fn: Any, row: Any, *, note: str) -> None:
        self._deciding = row.request_id
        self.approve_button.setEnabled(False)
        self.reject_button.setEnabled(False)
        self.write(
            fn, operation_id=self._services.adjustments.new_operation_id(), request_id=row.request_id,
            session=self._context.session, note=note, on_result=self._decided, on_error=self._failed,
        )

    def _decided(self, outcome: Any) -> None:
        if outcome.status == "approved":
            text = self.tr("Request no. {id} approved and posted.").format(id=outcome.request_id)
        elif outcome.status == "pending":
            text = self.tr("Request no. {id}: approval {n} of {needed} recorded; a second supervisor must approve.").format(
                id=outcome.request_id, n=outcome.approvals, needed=outcome.approvals_needed)
        else:
            text = self.tr("Request no. {id} {status}.").format(id=outcome.request_id, status=status_label(outcome.status).lower())
        self.set_banner(text)
        self.note.clear()
        self.sig_decided.emit(outcome)  # the queue is read again on the store watch's word (on_store_changed)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, ValidationError) and error.field == "note":
            refuse_at(self.note, self.note_error, error_message(error))  # the note kept to correct
        else:
            self.show_error(error)
            self._refused_request = self._deciding
        self._selection_changed()
        self.sig_failed.emit(error)
