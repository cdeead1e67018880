"""Sync status: the second supervisor's write-off approval."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from loyalty_desk.ui.screens.base import SupervisorDialog
from loyalty_desk.ui.screens.context import ScreenContext

# ---------------------------------------------------------------------------- the write-off's second supervisor


class WriteOffApprovalDialog(SupervisorDialog):
    """A write-off needs a second supervisor: they sign in here with their own username and password
    (cached credentials when head office cannot be reached). The sync service checks the credentials
    and the decision's handler checks who they are; the dialog only collects them."""

    sig_resolved = Signal(object)  # SyncResolution

    def __init__(self, context: ScreenContext, sync: Any, arguments: dict[str, Any], summary: str, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("WriteOffApprovalDialog")
        self._sync = sync
        self._arguments = dict(arguments)
        self.outcome: Any = None
        self.build(
            title=self.tr("Write-off approval"),
            summary=summary,
            intro=self.tr("A second supervisor of this branch or of head office signs in with their own username and password "
                          "to approve the write-off. The supervisor resolving the exception cannot approve it."),
        )
        self.approval_buttons(self.tr("Approve write-off"), self.approve, close_text=self.tr("Cancel"))
        self.password.returnPressed.connect(self.approve)

    def approve(self) -> None:
        if self.busy:
            return
        entered = self.entered()
        if entered is None:
            self.show_refusal(self.tr("Enter the second supervisor's username and password."))
            return
        self.set_busy(True)
        self.write(
            self._sync.resolve, **self._arguments, approver_username=entered[0], approver_password=entered[1],
            on_result=self._resolved, on_error=self.refused,
        )

    def busy_widgets(self) -> tuple[QWidget, ...]:
        return (self.approve_button,)

    def _resolved(self, outcome: Any) -> None:
        self.busy = False
        self.outcome = outcome
        self.password.clear()
        self.sig_resolved.emit(outcome)
        self.accept()
