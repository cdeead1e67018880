"""The member view: its field and tile widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QWidget

from loyalty_desk.ui import fmt
from loyalty_desk.ui.widgets import column, named, repolish

REASON_MIN_LENGTH = 5




class _Field(QWidget):
    """A small caption over a value."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = named(QLabel(), "FieldLabel")
        self.value = named(QLabel(), "FieldValue")
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column(self, (0, 0, 0, 0), 2, self.caption, self.value)


class _Tile(QFrame):
    """A figure with its caption, on a white card."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.value = named(QLabel("–"), "TileValue")
        self.caption = named(QLabel(), "TileCaption")
        self.caption.setWordWrap(True)  # six tiles share a row at 1024 px: "Expiring within 30 days" takes two lines
        column(self, (16, 8, 16, 8), 2, self.value, self.caption)

    def set(self, value: int, *, warn: bool = False) -> None:
        self.value.setText(fmt.number(value))
        self.value.setProperty("tone", "warn" if warn and value else "")
        repolish(self.value)
