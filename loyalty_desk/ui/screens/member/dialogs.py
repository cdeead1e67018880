"""The member view: the reveal dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QWidget

from loyalty_desk.ui.screens.member.models import REASON_MIN_LENGTH
from loyalty_desk.ui.widgets import dialog_buttons, dialog_column, named


class RevealDialog(QDialog):
    """Asks why the full ID and mobile are needed; the reason goes to the audit trail."""

    def __init__(self, member_no: str, masked_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("RevealDialog")
        self.setWindowTitle(self.tr("Reveal full ID and mobile"))
        self.setMinimumWidth(440)
        heading = named(QLabel(self.tr("Reveal full ID and mobile")), "DialogTitle")
        intro = QLabel(
            self.tr("You are about to see the full ID number and mobile of {name} ({member_no}). "
                    "This is recorded in the audit trail with your reason.").format(name=masked_name, member_no=member_no)
        )
        intro.setWordWrap(True)
        label = QLabel(self.tr("&Reason (at least {n} characters)").format(n=REASON_MIN_LENGTH))
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("Reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText(self.tr("e.g. client asked to verify the mobile number on file"))
        self.reason.setFixedHeight(80)
        label.setBuddy(self.reason)
        self.error = named(QLabel(), "Error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = dialog_buttons(self, self.tr("Reveal"), self.tr("Cancel"), on_ok=self._accept_if_valid)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(False)
        self.ok_button.setDefault(True)
        self.reason.textChanged.connect(self._changed)
        dialog_column(self, heading, intro, label, self.reason, self.error, self.buttons)

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()

    def _changed(self) -> None:
        self.ok_button.setEnabled(len(self.reason_text()) >= REASON_MIN_LENGTH)
        self.error.hide()

    def _accept_if_valid(self) -> None:
        if len(self.reason_text()) < REASON_MIN_LENGTH:
            self.error.setText(self.tr("Give a reason of at least {n} characters.").format(n=REASON_MIN_LENGTH))
            self.error.show()
            return
        self.accept()
