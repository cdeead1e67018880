"""Widgets every screen builds the same way."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QDate, QLocale, Qt, SignalInstance
from PySide6.QtGui import QAction, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QBoxLayout,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from loyalty_desk.ui import fmt
from loyalty_desk.ui.models import ROW_ROLE

Resize = QHeaderView.ResizeMode


W = TypeVar("W", bound=QWidget)
B = TypeVar("B", bound=QBoxLayout)


def named(widget: W, name: str) -> W:
    """``widget`` with the object name the style sheet and the tests select on."""
    widget.setObjectName(name)
    return widget


def record_table(model: QAbstractItemModel | None = None, on_selection: Callable[..., object] | None = None, *,
                 resize: Resize = Resize.Interactive, stretch_last: bool = False, row_height: int = 28) -> QTableView:
    """A read-only table of records: whole rows, one at a time, striped, no grid, no row numbers; showing
    ``model``, and telling ``on_selection`` when another row is selected."""
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
    if model is not None:
        table.setModel(model)
    if on_selection is not None:
        table.selectionModel().selectionChanged.connect(on_selection)
    return table


LayoutItem = QWidget | QLayout | int | tuple[QWidget | QLayout, int]


def add_all(box: B, *items: LayoutItem) -> B:
    """``box`` with ``items`` added in order: widgets, layouts, a number for a stretch, and a widget or
    layout with the stretch factor it takes."""
    for item in items:
        item, stretch = item if isinstance(item, tuple) else (item, 0)
        if isinstance(item, int):
            box.addStretch(item)
        elif isinstance(item, QLayout):
            box.addLayout(item, stretch)
        else:
            box.addWidget(item, stretch)
    return box


def column(parent: QWidget, margins: tuple[int, int, int, int], spacing: int | None, *items: LayoutItem) -> QVBoxLayout:
    """``parent``'s layout: ``items`` one under the other (see ``add_all``), with these margins and
    spacing (None: the style's)."""
    box = QVBoxLayout(parent)
    box.setContentsMargins(*margins)
    if spacing is not None:
        box.setSpacing(spacing)
    add_all(box, *items)
    return box


def selected_record(table: QTableView) -> Any:
    """The record behind the row selected in a ``record_table``; None while no row is selected."""
    rows = table.selectionModel().selectedRows()
    return rows[0].data(ROW_ROLE) if rows else None


def current_record(table: QTableView) -> Any:
    """The record behind the table's current row (where the keyboard is); None when there is none."""
    index = table.currentIndex()
    return index.siblingAtColumn(0).data(ROW_ROLE) if index.isValid() else None


class KeyedButton(QPushButton):
    """A button whose shortcut survives a new text: Qt's ``setText`` replaces a button's shortcut with
    the text's mnemonic, which would silently drop F5 or Ctrl+S at the first retranslate."""

    def __init__(self, keys: QKeySequence, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.keys = keys
        self.setShortcut(keys)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setShortcut(self.keys)


def push_button(button_icon: QIcon | None, slot: Callable[[], object] | SignalInstance | None = None, *, shortcut: str = "", name: str = "") -> QPushButton:
    """A button (its text is set by retranslate) with its icon, the slot it calls, its shortcut and the
    object name the style sheet and the tests select on."""
    button = KeyedButton(QKeySequence(shortcut)) if shortcut else QPushButton("")
    if button_icon is not None:
        button.setIcon(button_icon)
    if name:
        button.setObjectName(name)
    if slot is not None:
        button.clicked.connect(slot)
    return button


Texts = tuple[QLabel | QAbstractButton, str] | tuple[QAbstractButton, str, str]


def set_texts(*rows: Texts) -> None:
    """What retranslate sets on labels and buttons: each row a widget, its text and, for a button, its tooltip."""
    for widget, text, *tooltip in rows:
        widget.setText(text)
        if tooltip:
            widget.setToolTip(tooltip[0])


def refill_combo(combo: QComboBox, items: Sequence[tuple[str, Any]]) -> None:
    """The combo's items (text, data) again, in the current language, keeping the choice made (the first
    item when it is gone), without telling the listeners it changed."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for text, data in items:
        combo.addItem(text, data)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    combo.blockSignals(False)


def fill_branch_chooser(combo: QComboBox, report: Any, every: str, every_text: str) -> bool:
    """A head-office report's branch chooser: ``every_text`` (its data ``every``), then each of
    ``report.branches`` by code and name, ``report.branch_code`` chosen, without telling the listeners.
    Hidden when the report offers no choice (``report.may_choose``); whether it is shown."""
    combo.setVisible(report.may_choose)
    if not report.may_choose:
        return False
    english = QLocale().language() != QLocale.Language.Chinese
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(every_text, every)
    for branch in report.branches:
        combo.addItem(f"{branch.code} {branch.name_en if english else branch.name_zh}", branch.code)
    combo.setCurrentIndex(max(0, combo.findData(report.branch_code or every)))
    combo.blockSignals(False)
    return True


def buddied_form(rows: tuple[tuple[str, QWidget], ...]) -> QFormLayout:
    """A form whose labels (with their ``&`` mnemonics) move the focus to their field."""
    form = QFormLayout()
    for text, widget in rows:
        label = QLabel(text)
        label.setBuddy(widget)
        form.addRow(label, widget)
    return form


def keep_height(field: QWidget) -> None:
    """The field never gives up its own height to make room for something else."""
    field.setMinimumHeight(min(field.maximumHeight(), max(field.minimumHeight(), field.sizeHint().height())))
    policy = field.sizePolicy()
    policy.setVerticalPolicy(QSizePolicy.Policy.Fixed)
    field.setSizePolicy(policy)


def field_error(field: QWidget) -> QLabel:
    """The line under ``field`` that says why what is in it is refused. The field keeps its own
    height when the line appears (a squeezed layout takes the room from elsewhere, never from it);
    ``show_field_error`` fills it in or hides it."""
    keep_height(field)
    return error_label()


def show_field_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def refuse_at(field: QWidget, error: QLabel, text: str) -> None:
    """``text`` on the field's error line, and the keyboard in the field to correct it."""
    show_field_error(error, text)
    field.setFocus()


def repolish(widget: QWidget) -> None:
    """Applies the style sheet again after a property or the object name the sheet selects on changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def set_tone(widget: QWidget, tone: str) -> None:
    """The style sheet's ``tone`` (``warn``, ``error``, ``ok``; "" for none), shown at once."""
    widget.setProperty("tone", tone)
    repolish(widget)


def set_banner(label: QLabel, text: str, tone: str = "") -> None:
    """A screen's banner: the text in its tone, hidden while there is nothing to say."""
    label.setText(text)
    set_tone(label, tone)
    label.setVisible(bool(text))


def error_label() -> QLabel:
    """Where a dialog says what went wrong: hidden until there is something to say."""
    label = named(QLabel(), "Error")
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
        heading = named(QLabel(title), "DialogTitle")
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        explanation = named(QLabel(intro), "Muted")
        explanation.setWordWrap(True)
        self.username = named(QLineEdit(), "Username")
        self.password = named(QLineEdit(), "Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        rows = (
            (QCoreApplication.translate("SupervisorSignInDialog", "Supervisor &username"), self.username),
            (QCoreApplication.translate("SupervisorSignInDialog", "&Password"), self.password),
            *more_rows,
        )
        self.error = error_label()
        self.buttons = QDialogButtonBox()
        for _text, field in rows:
            keep_height(field)
        dialog_column(self, heading, self.summary, explanation, *above_form, buddied_form(rows), self.error, self.buttons)
        self.username.setFocus()

    def entered(self) -> tuple[str, str] | None:
        """The username and password, or None when either is missing."""
        username, password = self.username.text().strip(), self.password.text()
        return (username, password) if username and password else None

    def show_refusal(self, text: str) -> None:
        show_field_error(self.error, text)


class NumberField(QLineEdit):
    """A whole number within a stated range. What is typed stays as typed (letters, a minus sign,
    too many digits); ``problem`` says why it is refused, for the field's error line, and the
    placeholder and tooltip state the range before anything is typed."""

    def __init__(self, minimum: int, maximum: int, parent: QWidget | None = None, *, objectName: str = "", empty_means: str = "") -> None:
        """``empty_means``: what an empty field stands for (say "Unlimited"), when it may be left empty."""
        super().__init__(parent)
        if objectName:
            self.setObjectName(objectName)
        self.minimum, self.maximum = minimum, maximum
        self.empty_means = empty_means
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.retranslate()

    def range_text(self) -> str:
        from loyalty_desk.ui import fmt

        return QCoreApplication.translate("NumberField", "{low} to {high}").format(
            low=fmt.number(self.minimum), high=fmt.number(self.maximum))

    def retranslate(self) -> None:
        self.setPlaceholderText(f"{self.empty_means} · {self.range_text()}" if self.empty_means else self.range_text())
        self.setToolTip(QCoreApplication.translate("NumberField", "A whole number from {range}").format(range=self.range_text()))

    def value(self) -> int | None:
        """The number typed, or None when it is not a whole number (group separators allowed)."""
        text = self.text().strip().replace(",", "").replace("，", "").replace(" ", "")
        return int(text) if re.fullmatch(r"-?[0-9]+", text) else None

    def setValue(self, value: int) -> None:  # the QSpinBox name the forms already use
        self.setText(str(value))

    def problem(self) -> str:
        """Why what is typed is refused; empty when it is a number in range."""
        if self.empty_means and not self.text().strip():
            return ""
        value = self.value()
        if value is None or not self.minimum <= value <= self.maximum:
            return QCoreApplication.translate("NumberField", "Enter a whole number from {range}.").format(range=self.range_text())
        return ""


class CountedLineEdit(QLineEdit):
    """Text with a length limit that is never cut silently: ``counter`` shows "12 / 100" under or
    beside the field and turns into an error when the text is longer; ``problem`` says so."""

    def __init__(self, limit: int, parent: QWidget | None = None, *, objectName: str = "") -> None:
        super().__init__(parent)
        if objectName:
            self.setObjectName(objectName)
        self.limit = limit
        self.counter = named(QLabel(), "Muted")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.textChanged.connect(self._count)
        self._count(self.text())

    def _count(self, text: str) -> None:
        self.counter.setText(f"{len(text)} / {self.limit}")
        self.counter.setObjectName("Error" if len(text) > self.limit else "Muted")
        repolish(self.counter)

    def problem(self) -> str:
        if len(self.text()) > self.limit:
            return QCoreApplication.translate("CountedLineEdit", "At most {limit} characters: {n} typed.").format(
                limit=self.limit, n=len(self.text()))
        return ""


def make_action(parent: QWidget, slot: Callable[[], object], shortcut: QKeySequence | None = None, action_icon: QIcon | None = None) -> QAction:
    """An action of ``parent`` that calls ``slot``, with its shortcut and icon (its text is set by retranslate)."""
    action = QAction(parent) if action_icon is None else QAction(action_icon, "", parent)
    if shortcut is not None:
        action.setShortcut(shortcut)
    action.triggered.connect(slot)
    return action


def make_shortcut(key: QKeySequence | QKeySequence.StandardKey, parent: QWidget, slot: Callable[[], object]) -> QShortcut:
    shortcut = QShortcut(key, parent)
    shortcut.activated.connect(slot)
    return shortcut


def dialog_buttons(dialog: QDialog, ok_text: str, cancel_text: str, *, ok: QDialogButtonBox.StandardButton = QDialogButtonBox.StandardButton.Ok,
                   cancel: QDialogButtonBox.StandardButton = QDialogButtonBox.StandardButton.Cancel,
                   on_ok: Callable[[], object] | None = None) -> QDialogButtonBox:
    """A dialog's two buttons in its own words: ``ok`` accepts (or calls ``on_ok``), ``cancel`` rejects."""
    buttons = QDialogButtonBox(ok | cancel)
    buttons.button(ok).setText(ok_text)
    buttons.button(cancel).setText(cancel_text)
    buttons.accepted.connect(on_ok or dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


NO_DATE = QDate(2000, 1, 1)  # an open end of a date filter: the edit shows its special value text


def date_range_edits(min_width: int) -> tuple[QDateEdit, QDateEdit]:
    """The from and to of a date filter, both open until a date is picked."""
    edits = (QDateEdit(), QDateEdit())
    from loyalty_desk.ui import fmt

    for edit in edits:
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(fmt.date_edit_format())
        edit.setMinimumDate(NO_DATE)
        edit.setDate(NO_DATE)
        edit.setMinimumWidth(min_width)
    return edits


def picked_date(edit: QDateEdit) -> date | None:
    """The date picked in a date filter; None while it is open."""
    value = edit.date()
    return None if value == NO_DATE else fmt.pydate(value)


def field_with_error(widgets: Sequence[QWidget], error: QLabel, *, grows: tuple[type[QWidget], ...] = (QLineEdit,), bottom: int = 0) -> QWidget:
    """A field (or a row of them, those of the ``grows`` kinds taking the width) with its error line underneath."""
    holder = QWidget()
    box = QVBoxLayout(holder)
    box.setContentsMargins(0, 0, 0, bottom)
    box.setSpacing(2)
    line = QHBoxLayout()
    line.setSpacing(6)
    for widget in widgets:
        line.addWidget(widget, 1 if isinstance(widget, grows) else 0)
    box.addLayout(line)
    box.addWidget(error)
    return holder


def period_row(date_from: QDateEdit, date_to: QDateEdit) -> QHBoxLayout:
    """A period's first and last day side by side: "from – to"."""
    return add_all(QHBoxLayout(), date_from, QLabel("–"), date_to)


def path_row(field: QLineEdit, browse_text: str, on_browse: Callable[[], object]) -> QHBoxLayout:
    """A file or folder field taking the width, with the button (``browse_text``) that picks one."""
    browse = QPushButton(browse_text)
    browse.clicked.connect(on_browse)
    return add_all(QHBoxLayout(), (field, 1), browse)


def dialog_column(dialog: QDialog, *items: LayoutItem) -> QVBoxLayout:
    """A dialog's widgets one under the other, with the margins of the desk's dialogs."""
    return column(dialog, (20, 18, 20, 18), 10, *items)


def close_button(dialog: QDialog, text: str) -> QDialogButtonBox:
    """A dialog's one Close button, in its words."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.button(QDialogButtonBox.StandardButton.Close).setText(text)
    buttons.rejected.connect(dialog.reject)
    return buttons


def side_form_row(form: QFormLayout, widgets: Sequence[QWidget], error: QLabel,
                  grows: tuple[type[QWidget], ...] = (QLineEdit, QComboBox), *, text: str = "", bottom: int = 0) -> QLabel:
    """A row of a ``side_form`` (or a dialog's form): its label (returned, for its words; the buddy of the
    first widget) and the widgets over their error line, ``bottom`` pixels under it."""
    label = QLabel(text)
    label.setBuddy(widgets[0])
    form.addRow(label, field_with_error(widgets, error, grows=grows, bottom=bottom))
    return label


def side_form(vertical_spacing: int = 4) -> QFormLayout:
    """The form beside a screen's table (catalogue, campaigns, segments): labels right-aligned, fields growing."""
    form = QFormLayout()
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    form.setVerticalSpacing(vertical_spacing)
    form.setHorizontalSpacing(10)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form
