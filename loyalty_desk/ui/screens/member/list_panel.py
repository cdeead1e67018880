"""A tab of the member view that is a list of the member's records, one chosen at a time (the hints to
offer, the tier benefits)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from loyalty_desk.ui.screens.base import MemberPanel
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.widgets import named


class MemberListPanel(MemberPanel):
    """``self.list`` holds the records; ``selected`` is the chosen one. ``_enable`` says what the chosen
    record allows; it runs as the choice moves."""

    def __init__(self, context: ScreenContext, list_name: str, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.list = named(QListWidget(), list_name)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.currentRowChanged.connect(lambda _row: self._enable())

    def _enable(self) -> None:
        raise NotImplementedError

    def default_focus(self) -> QWidget:
        return self.list

    def selected(self) -> Any:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def clear(self) -> None:
        """Another member is being opened: nothing of the last one's stays on show."""
        self.data = None
        self.list.clear()
        self.set_banner("", "")

    def fill_list(self, records: Iterable[Any], text_of: Callable[[Any], str], key_of: Callable[[Any], Any]) -> None:
        """The list again, one line a record (``text_of``), the record chosen before chosen again when it is
        still there (the same ``key_of``), else the first."""
        chosen = self.selected()
        self.list.clear()
        keys = []
        for record in records:
            item = QListWidgetItem(text_of(record))
            item.setData(Qt.ItemDataRole.UserRole, record)
            self.list.addItem(item)
            keys.append(key_of(record))
        if keys:
            self.list.setCurrentRow(keys.index(key_of(chosen)) if chosen is not None and key_of(chosen) in keys else 0)
