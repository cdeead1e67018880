"""Adjustments on the member view: the member's pending requests."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from loyalty_desk.ui import fmt
from loyalty_desk.ui.icons import icon
from loyalty_desk.ui.screens.adjustments.dialogs import SupervisorApprovalDialog
from loyalty_desk.ui.screens.adjustments.models import AdjustmentsModel, reason_label
from loyalty_desk.ui.screens.base import TableScreen
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.widgets import Resize, add_all, named, push_button, record_table, set_texts

# ---------------------------------------------------------------------------- on the member view


class PendingAdjustmentsPanel(TableScreen):
    """The member's pending requests, with "Supervisor approval…" and the maker's "Cancel request"."""

    sig_loaded = Signal(object)  # tuple[AdjustmentView, ...]
    sig_changed = Signal()  # a request was decided or cancelled: balances changed
    sig_count = Signal(int)
    sig_request = Signal()  # "Request adjustment…": the member view opens the request dialog

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.member_no: str | None = None
        self.rows: tuple[Any, ...] = ()
        self.approval_dialog: SupervisorApprovalDialog | None = None
        self.model = AdjustmentsModel(self)
        self.table = record_table(self.model, self._selection_changed, resize=Resize.ResizeToContents, stretch_last=True)
        self.table.hideColumn(1)
        self.empty = named(QLabel(), "Muted")
        self.approve_button = push_button(icon("approvals"), self.ask_approval)
        self.cancel_button = push_button(None, self.cancel_selected)
        self.request_button = push_button(icon("adjust"), self.sig_request, name="AdjustButton")
        buttons = add_all(QHBoxLayout(), self.request_button, (self.empty, 1), self.cancel_button, self.approve_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(10, 10, 10, 10)
        add_all(box, self.banner, (self.table, 1), buttons)
        self.retranslate()
        self._selection_changed()

    def retranslate(self) -> None:
        set_texts(
            (self.approve_button, self.tr("Supervisor approval…"), self.tr("A supervisor signs in here to approve or reject the selected request")),
            (self.request_button, self.tr("Request adjustment…"), self.tr("Request a manual credit or debit; a supervisor approves it (F7)")),
            (self.cancel_button, self.tr("Cancel request"), self.tr("Withdraw your own pending request")),
        )
        self.model.retranslate()

    def load(self, member_no: str | None) -> None:
        self.member_no = member_no
        if member_no is None:
            self.supersede("load")
            self._show(())
            return
        self.run_latest("load", self._services.adjustments.for_member, member_no=member_no, on_result=self._show, on_error=self.show_error)

    def _show(self, rows: Any) -> None:
        self.rows = tuple(rows)
        self.model.set_rows(self.rows)
        self.empty.setText(self.tr("No pending requests.") if not self.rows else self.tr("%Ln pending request(s)", "", len(self.rows)))
        if self.rows:
            self.table.selectRow(0)
        self._selection_changed()
        self.sig_count.emit(len(self.rows))
        self.sig_loaded.emit(self.rows)

    def _selection_changed(self, *_: object) -> None:
        row = self.selected()
        self.approve_button.setEnabled(row is not None)
        self.cancel_button.setEnabled(row is not None and row.maker_username == self._context.session.username)

    def ask_approval(self) -> None:
        row = self.selected()
        if row is None or self.approval_dialog is not None:
            return
        summary = self.tr("Request no. {id}: {points} points for {member} ({reason}), made by {maker}.").format(
            id=row.request_id, points=fmt.signed(row.signed_points), member=f"{row.masked_name} {row.member_no}",
            reason=reason_label(row.reason_code), maker=row.maker_name)
        dialog = SupervisorApprovalDialog(self._context, row.request_id, summary, row.approvals_needed, self)
        dialog.sig_decided.connect(self._changed)
        self.open_dialog("approval_dialog", dialog)

    def _changed(self, _outcome: object = None, text: str = "") -> None:
        """A request of this member was decided or cancelled: the banner says so (``text``), the list reloads."""
        if text:
            self.set_banner(text)
        self.load(self.member_no)
        self.sig_changed.emit()

    def cancel_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        self.write(
            self._services.adjustments.cancel, operation_id=self._services.adjustments.new_operation_id(),
            session=self._context.session, request_id=row.request_id,
            on_result=lambda outcome: self._changed(outcome, self.tr("Request no. {id} cancelled.").format(id=row.request_id)),
            on_error=self.show_error,
        )
