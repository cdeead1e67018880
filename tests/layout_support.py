"""Finds text a user cannot read whole: labels, buttons, tabs and list items whose text is wider than their room."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QListWidget, QPushButton, QStyle, QStyleOptionButton, QTabBar, QToolButton, QWidget


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _widest_line(metrics, text: str) -> int:
    return max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0)


def clipped_texts(root: QWidget) -> list[str]:
    """One line per visible text that does not fit: ``kind 'text' needs N px, has M px (object path)``."""
    found: list[str] = []

    def where(widget: QWidget) -> str:
        names = []
        while widget is not None and widget is not root:
            names.append(widget.objectName() or type(widget).__name__)
            widget = widget.parentWidget()
        return "/".join(reversed(names))

    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() or widget.width() <= 1:
            continue
        metrics = widget.fontMetrics()
        if isinstance(widget, QLabel):
            text = widget.text()
            if not text or widget.wordWrap() or widget.textFormat() == Qt.TextFormat.RichText or text.lstrip().startswith("<"):
                continue
            room = widget.contentsRect().width() - 2 * max(widget.margin(), 0) - max(widget.indent(), 0)
            need = _widest_line(metrics, _plain(text) if widget.buddy() is not None else text)
            if need > room:
                found.append(f"label {text!r} needs {need} px, has {room} px ({where(widget)})")
        elif isinstance(widget, QAbstractButton) and not isinstance(widget.parentWidget(), QTabBar):
            text = _plain(widget.text())
            if not text or (isinstance(widget, QToolButton) and widget.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly):
                continue  # an icon-only tool button shows no text (its text is the tooltip's)
            icon = widget.iconSize().width() + 4 if not widget.icon().isNull() else 0
            need = _widest_line(metrics, text) + icon
            room = widget.contentsRect().width()
            if isinstance(widget, QPushButton):  # the style sheet's padding is inside the button
                option = QStyleOptionButton()
                widget.initStyleOption(option)
                room = widget.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, widget).width()
            if need > room:
                found.append(f"button {text!r} needs {need} px, has {room} px ({where(widget)})")
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                text = _plain(widget.tabText(index))
                rect = widget.tabRect(index)
                need = metrics.horizontalAdvance(text)
                if need > rect.width() or not widget.rect().contains(rect):
                    found.append(f"tab {text!r} needs {need} px, has {rect.width()} px ({where(widget)})")
        elif isinstance(widget, QListWidget) and widget.objectName() == "NavList":
            viewport = widget.viewport().width()
            for index in range(widget.count()):
                item = widget.item(index)
                rect = widget.visualItemRect(item)
                need = widget.sizeHintForIndex(widget.indexFromItem(item)).width()  # text, icon and padding as the delegate lays them out
                room = min(rect.width(), viewport)
                if need > room:
                    found.append(f"sidebar item {item.text()!r} needs {need} px, has {room} px ({where(widget)})")
    return found
