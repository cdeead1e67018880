"""Widgets every screen builds the same way."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

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


def field_error(field: QWidget) -> QLabel:
    """The line under ``field`` that says why what is in it is refused. The field keeps its own
    height when the line appears (a squeezed layout takes the room from elsewhere, never from it);
    ``show_field_error`` fills it in or hides it."""
    field.setMinimumHeight(field.sizeHint().height())
    policy = field.sizePolicy()
    policy.setVerticalPolicy(QSizePolicy.Policy.Fixed)
    field.setSizePolicy(policy)
    label = error_label()
    return label


def show_field_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def error_label() -> QLabel:
    """Where a dialog says what went wrong: hidden until there is something to say."""
    label = QLabel(objectName="Error")
    label.setWordWrap(True)
    label.hide()
    return label


class SupervisorSignInDialog(QDialog):
    """A dialog where a supervisor signs in at this desk with their own username and password to
    approve something: heading, what is approved, who may approve, the credentials (and any field
    the subclass adds), the error line and the subclass's buttons. Subclasses call ``build``."""

    def build(self, *, title: str, summary: str, intro: str, above_form: Sequence[QWidget] = (), more_rows: Sequence[tuple[str, QWidget]] = ()) -> None:
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        heading = QLabel(title, objectName="DialogTitle")
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        explanation = QLabel(intro, objectName="Muted")
        explanation.setWordWrap(True)
        self.username = QLineEdit(objectName="Username")
        self.password = QLineEdit(objectName="Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        rows = (
            (QCoreApplication.translate("SupervisorSignInDialog", "Supervisor &username"), self.username),
            (QCoreApplication.translate("SupervisorSignInDialog", "&Password"), self.password),
            *more_rows,
        )
        self.error = error_label()
        self.buttons = QDialogButtonBox()
        box = QVBoxLayout(self)
        box.setContentsMargins(20, 18, 20, 18)
        box.setSpacing(10)
        for widget in (heading, self.summary, explanation, *above_form):
            box.addWidget(widget)
        box.addLayout(buddied_form(rows))
        box.addWidget(self.error)
        box.addWidget(self.buttons)
        self.username.setFocus()

    def entered(self) -> tuple[str, str] | None:
        """The username and password, or None when either is missing."""
        username, password = self.username.text().strip(), self.password.text()
        return (username, password) if username and password else None

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
