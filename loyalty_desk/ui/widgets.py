"""Widgets every screen builds the same way."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QFormLayout, QHeaderView, QLabel, QTableView, QWidget

Resize = QHeaderView.ResizeMode


def record_table(*, resize: Resize = Resize.Interactive, stretch_last: bool = False, row_height: int = 28) -> QTableView:
    """A read-only table of records: whole rows, one at a time, striped, no grid, no row numbers."""
    table = QTableView()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(row_height)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(resize)
    header.setStretchLastSection(stretch_last)
    return table


def buddied_form(rows: tuple[tuple[str, QWidget], ...]) -> QFormLayout:
    """A form whose labels (with their ``&`` mnemonics) move the focus to their field."""
    form = QFormLayout()
    for text, widget in rows:
        label = QLabel(text)
        label.setBuddy(widget)
        form.addRow(label, widget)
    return form


def error_label() -> QLabel:
    """Where a dialog says what went wrong: hidden until there is something to say."""
    label = QLabel(objectName="Error")
    label.setWordWrap(True)
    label.hide()
    return label
