"""Help ▸ Keyboard shortcuts: every key the signed-in desk answers to, read from the widgets that define them.

Nothing here lists keys by hand: the main window's actions (its own and one per registered screen),
each screen's actions, ``QShortcut``s and buttons with a shortcut are collected from the live window,
so a shortcut added anywhere shows up without editing this dialog. Texts are the widgets' own, already
translated; a ``QShortcut`` has no text, so it carries its description in ``whatsThis``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QDialog, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from loyalty_desk.ui.widgets import close_button


@dataclass(frozen=True)
class ShortcutEntry:
    keys: str  # portable text, e.g. "Ctrl+L"
    what: str  # translated description
    where: str  # translated place: "Everywhere" or the screen's title


def _clean(text: str) -> str:
    text = re.sub(r"\(&[^&\s]\)", "", text)  # a Chinese label's mnemonic, "锁屏(&L)"
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").replace("…", "").strip()


def _keys_of(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.PortableText)


def _describe(thing: object) -> str:
    if isinstance(thing, QAction):
        return _clean(thing.text()) or _clean(thing.toolTip()) or _clean(thing.whatsThis())
    if isinstance(thing, QShortcut):
        return _clean(thing.whatsThis())
    if isinstance(thing, QAbstractButton):
        return _clean(thing.text()) or _clean(thing.toolTip())
    return ""


def collect_shortcuts(window: object) -> list[ShortcutEntry]:
    """The shortcuts of ``window`` (a MainWindow): window-wide ones first, then each screen's."""
    everywhere = QCoreApplication.translate("Shortcuts", "Everywhere")
    entries: list[ShortcutEntry] = []
    seen: set[tuple[str, str]] = set()

    def add(thing: object, where: str) -> None:
        if isinstance(thing, QShortcut):
            sequences = [thing.key()]
        elif isinstance(thing, QAction):
            sequences = thing.shortcuts()
        else:
            sequences = [thing.shortcut()]  # type: ignore[attr-defined]
        for sequence in sequences:
            keys = _keys_of(sequence)
            if not keys or (keys, where) in seen:
                continue
            seen.add((keys, where))
            entries.append(ShortcutEntry(keys=keys, what=_describe(thing), where=where))

    for action in window.actions():  # type: ignore[attr-defined]
        add(action, everywhere)
    for menu_action in window.menuBar().actions():  # type: ignore[attr-defined]
        menu = menu_action.menu()
        if menu is not None:
            for action in menu.actions():
                add(action, everywhere)
    for spec in window.specs:  # type: ignore[attr-defined]
        screen: QWidget = window.screens[spec.key]  # type: ignore[attr-defined]
        where = spec.translated_title()
        for kind in (QAction, QShortcut, QAbstractButton):
            for thing in screen.findChildren(kind):
                add(thing, where)
        for action in screen.actions():
            add(action, where)
    return entries


class ShortcutsDialog(QDialog):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.entries = collect_shortcuts(window)
        self.table = QTableWidget(len(self.entries), 3)
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Action"), self.tr("Where")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for row, entry in enumerate(self.entries):
            native = QKeySequence(entry.keys).toString(QKeySequence.SequenceFormat.NativeText)
            for column, text in enumerate((native, entry.what, entry.where)):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        buttons = close_button(self, self.tr("Close"))
        box = QVBoxLayout(self)
        box.addWidget(self.table)
        box.addWidget(buttons)
        self.setMinimumSize(680, 520)
