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

__all__ = ["PASSWORD", "audit_actions", "card_for", "mobile_for", "resident_id_for", "type_text"]
