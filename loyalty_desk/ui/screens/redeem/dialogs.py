"""Redemption: the confirmation and reversal dialogs."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QPlainTextEdit, QWidget

from loyalty_desk.domain.redemption import MAX_QTY
from loyalty_desk.services.redemption.dto import RedemptionQuote, RedemptionView
from loyalty_desk.ui import fmt
from loyalty_desk.ui.widgets import NumberField, column, dialog_buttons, named


class QuantityField(NumberField):
    """The quantity to redeem, from 1 to the most one redemption may take: Enter confirms, Up and
    Down step by one, and anything else typed stays as typed for the field's error line to refuse."""

    sig_enter = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(1, MAX_QTY, parent, objectName="Quantity")
        self.setValue(1)

    def keyPressEvent(self, event: Any) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.sig_enter.emit()
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            value = self.value()
            if value is not None:
                self.setValue(min(self.maximum, max(self.minimum, value + (1 if key == Qt.Key.Key_Up else -1))))
            return
        super().keyPressEvent(event)


class ConfirmDialog(QDialog):
    """The confirm step: the operation id is made when this opens, so a retry is the same operation."""

    def __init__(self, operation_id: str, member_no: str, reward_name: str, quote: RedemptionQuote, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ConfirmRedemption")
        self.operation_id = operation_id
        self.quote = quote
        self.setWindowTitle(self.tr("Confirm redemption"))
        heading = named(QLabel(self.tr("Redeem {qty} × {reward}?").format(qty=quote.qty, reward=reward_name)), "DialogTitle")
        form = QFormLayout()
        form.addRow(self.tr("Member"), QLabel(member_no))
        form.addRow(self.tr("Points"), QLabel(fmt.number(quote.points)))
        form.addRow(self.tr("Available now"), QLabel(fmt.number(quote.available_before)))
        form.addRow(self.tr("Available after"), QLabel(fmt.number(quote.available_after)))
        self.buttons = dialog_buttons(self, self.tr("Redeem (Enter)"), self.tr("Cancel (Esc)"))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setDefault(True)
        column(self, (20, 18, 20, 18), None, heading, form, self.buttons)
        ok.setFocus()


class ReverseDialog(QDialog):
    def __init__(self, operation_id: str, view: RedemptionView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReverseRedemption")
        self.operation_id = operation_id
        self.setWindowTitle(self.tr("Reverse redemption"))
        heading = named(QLabel(self.tr("Reverse {number}: {points} points go back into the lots they came from.").format(
            number=view.number, points=fmt.number(view.points))), "DialogTitle")
        heading.setWordWrap(True)
        label = QLabel(self.tr("&Reason"))
        self.reason = named(QPlainTextEdit(), "Reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(70)
        self.reason.setPlaceholderText(self.tr("e.g. goods returned unopened"))
        label.setBuddy(self.reason)
        self.buttons = dialog_buttons(self, self.tr("Reverse"), self.tr("Cancel"))
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(False)
        self.ok_button.setDefault(True)  # Tab out of the reason, then Enter
        self.reason.textChanged.connect(lambda: self.ok_button.setEnabled(bool(self.reason_text())))
        column(self, (20, 18, 20, 18), None, heading, label, self.reason, self.buttons)

    def reason_text(self) -> str:
        return " ".join(self.reason.toPlainText().split())
