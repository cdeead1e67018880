"""Helpers shared by the UI tests (tests/ui); importable because tests/ is on the pytest pythonpath."""

from __future__ import annotations

from typing import Any


def type_text(qtbot: Any, widget: Any, text: str) -> None:
    """Types like a keyboard (QTest cannot click non-ASCII keys: those go as key events with text)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))


def audit_actions(data: Any) -> list[str]:
    return [row.action for row in data.audit_rows()]


from factories import DEFAULT_PASSWORD as PASSWORD  # noqa: E402
from factories import card_for, mobile_for, resident_id_for  # noqa: E402

__all__ = ["PASSWORD", "KeyCounter", "PdfFilePrinters", "audit_actions", "card_for", "mobile_for", "resident_id_for", "type_text"]


class PdfFilePrinters:
    """The system's printer list as a desk with one receipt printer sees it, whose jobs go to PDF files in
    ``folder`` (``QPrinter`` output files), so tests print for real and nothing reaches a real printer."""

    def __init__(self, folder: Any, name: str = "Counter receipt printer") -> None:
        self.folder = folder
        self.name = name
        self.jobs: list[Any] = []

    def names(self) -> list[str]:
        return [self.name]

    def default_name(self) -> str:
        return self.name

    def printer(self, name: str) -> Any:
        from PySide6.QtPrintSupport import QPrinter

        from loyalty_desk.ui.printing import receipt_page_layout

        assert name == self.name
        path = self.folder / f"{name.replace(' ', '-')}-job-{len(self.jobs) + 1}.pdf"
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        printer.setPageLayout(receipt_page_layout())
        self.jobs.append(path)
        return printer


class KeyCounter:
    """Presses keys as a user does: each on the widget that has the keyboard focus; counts them."""

    def __init__(self, qtbot: Any) -> None:
        self.qtbot = qtbot
        self.keys: list[str] = []

    def press(self, key: Any, modifier: Any = None) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        focused = QApplication.focusWidget()
        assert focused is not None, f"no widget has the keyboard for key {len(self.keys) + 1}"
        self.keys.append(Qt.Key(key).name)
        self.qtbot.keyClick(focused, key, modifier if modifier is not None else Qt.KeyboardModifier.NoModifier)
