"""Staff accounts: administrators create accounts, reset passwords (changed at next sign-in) and
deactivate accounts; supervisors unlock locked officers of their branch. The service decides."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.domain.identity import validate_name
from loyalty_desk.services.staff_admin import PASSWORD_MIN_LENGTH, USERNAME, check_password
from loyalty_desk.ui import fmt
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.icons import icon
from loyalty_desk.ui.models import _RowsModel
from loyalty_desk.ui.screens.base import TableScreen, page_layout
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.widgets import (
    Resize,
    dialog_buttons,
    error_label,
    field_error,
    named,
    push_button,
    record_table,
    set_texts,
    show_field_error,
)


class StaffModel(_RowsModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.now: Any = None

    def headers(self) -> list[str]:
        return [self.tr("Username"), self.tr("Name"), self.tr("Role"), self.tr("Branch"), self.tr("State")]

    def cell(self, row: Any, column: int) -> str:
        if column == 4:
            if not row.active:
                state = self.tr("Disabled")
            elif self.now is not None and row.locked(self.now):
                state = self.tr("Locked until {time}").format(time=fmt.datetime_utc(row.locked_until))
            else:
                state = self.tr("Active")
            if row.must_change_password:
                state += self.tr(" · must change password")
            return state
        return [row.username, row.display_name, fmt.label(fmt.ROLES, row.role), row.branch_code][column]


class NewStaffDialog(QDialog):
    """Every field is checked at once when Create is pressed, each refusal shown at its field; with
    ``submit`` the dialog creates the account itself and stays open, with what was typed, when the
    service refuses it."""

    def __init__(self, branches: tuple[tuple[str, str, str], ...], language: str, parent: QWidget | None = None,
                 submit: Callable[[dict[str, str], Callable[[Any], None], Callable[[BaseException], None]], None] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NewStaffDialog")
        self.setWindowTitle(self.tr("New staff account"))
        self.setMinimumWidth(420)
        self._submit = submit
        self.busy = False
        self.created: Any = None
        self.username = QLineEdit()
        self.display_name = QLineEdit()
        self.role = QComboBox()
        for key in ("officer", "supervisor", "admin", "auditor"):
            self.role.addItem(fmt.label(fmt.ROLES, key), key)
        self.branch = QComboBox()
        for code, zh, en in branches:
            self.branch.addItem(f"{zh if language == 'zh_CN' else en} · {code}", code)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.errors = {"username": field_error(self.username), "display_name": field_error(self.display_name),
                       "initial_password": field_error(self.password)}
        self.general_error = error_label()
        form = QFormLayout()

        def row(text: str, widget: QWidget, error: QLabel | None = None) -> None:
            label = QLabel(text)
            label.setBuddy(widget)
            if error is None:
                form.addRow(label, widget)
                return
            field_box = QVBoxLayout()
            field_box.setSpacing(2)
            field_box.addWidget(widget)
            field_box.addWidget(error)
            form.addRow(label, field_box)

        row(self.tr("&Username"), self.username, self.errors["username"])
        row(self.tr("&Name"), self.display_name, self.errors["display_name"])
        row(self.tr("&Role"), self.role)
        row(self.tr("&Branch"), self.branch)
        row(self.tr("&Initial password"), self.password, self.errors["initial_password"])
        for name, widget in (("username", self.username), ("display_name", self.display_name), ("initial_password", self.password)):
            widget.textEdited.connect(lambda _text, n=name: show_field_error(self.errors[n], ""))
        note = named(QLabel(self.tr("At least 8 characters with letters and digits; it must be changed at the first sign-in.")), "Muted")
        note.setWordWrap(True)
        self.buttons = dialog_buttons(self, self.tr("Create"), self.tr("Cancel"))
        self.create_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(note)
        box.addWidget(self.general_error)
        box.addWidget(self.buttons)

    def _field_message(self, error: DomainError) -> str:
        """The refusal in words that need no internal field name or English rule text."""
        if error.code == "staff.password_weak":
            return self.tr("At least {n} characters, with letters and digits.").format(n=PASSWORD_MIN_LENGTH)
        if error.code == "staff.invalid" and error.params.get("field") == "username":
            return self.tr("3 to 64 characters: lower-case letters, digits, “.”, “_” or “-”, starting with a letter.")
        return error_message(error)

    def problems(self) -> dict[str, str]:
        """Every field's refusal (the same rules the service applies), by field."""
        found: dict[str, str] = {}
        if not USERNAME.match(self.username.text().strip().lower()):
            found["username"] = self._field_message(DomainError("staff.invalid", field="username"))
        try:
            validate_name(self.display_name.text(), "display_name")
        except DomainError as error:
            found["display_name"] = error_message(error)
        try:
            check_password(self.password.text(), "initial_password")
        except DomainError as error:
            found["initial_password"] = self._field_message(error)
        return found

    def _show(self, found: dict[str, str], general: str = "") -> None:
        for name, label in self.errors.items():
            show_field_error(label, found.get(name, ""))
        show_field_error(self.general_error, general)
        widgets = {"username": self.username, "display_name": self.display_name, "initial_password": self.password}
        first = next((name for name in widgets if name in found), None)
        if first is not None:
            widgets[first].setFocus()

    def accept(self) -> None:
        if self.busy:
            return
        found = self.problems()
        self._show(found)
        if found:
            return
        if self._submit is None:
            super().accept()
            return
        self.busy = True
        self.create_button.setEnabled(False)
        self._submit(self.values(), self._created, self._refused)

    def _created(self, view: Any) -> None:
        self.busy = False
        self.create_button.setEnabled(True)
        self.created = view
        super().accept()

    def _refused(self, error: BaseException) -> None:
        self.busy = False
        self.create_button.setEnabled(True)
        field = error.params.get("field") if isinstance(error, DomainError) else None
        if isinstance(error, DomainError) and error.code == "staff.exists":
            field = "username"
        if field in self.errors:
            self._show({field: self._field_message(error) if isinstance(error, DomainError) else error_message(error)})
        else:
            self._show({}, error_message(error))

    def values(self) -> dict[str, str]:
        return {"username": self.username.text(), "display_name": self.display_name.text(), "role": self.role.currentData(),
                "branch_code": self.branch.currentData(), "initial_password": self.password.text()}


class PasswordDialog(QDialog):
    def __init__(self, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Reset password of {user}").format(user=username))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("&Temporary password"), self.password)
        note = named(QLabel(self.tr("The user must change it at the next sign-in.")), "Muted")
        buttons = dialog_buttons(self, self.tr("Reset"), self.tr("Cancel"))
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(note)
        box.addWidget(buttons)


class StaffScreen(TableScreen):
    sig_loaded = Signal(object)
    sig_done = Signal(str)

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.is_admin = context.session.role == "admin"
        self.new_dialog: NewStaffDialog | None = None
        self.new_button = push_button(icon("staff"), self.ask_new)
        self.reset_button = push_button(None, self.ask_reset)
        self.deactivate_button = push_button(None, self.deactivate_selected)
        self.unlock_button = push_button(icon("unlock"), self.unlock_selected)
        for button in (self.new_button, self.reset_button, self.deactivate_button):
            button.setVisible(self.is_admin)
        top = self.title_line(None, self.new_button, self.reset_button, self.deactivate_button, self.unlock_button)
        self.model = StaffModel(self)
        self.table = record_table(self.model, self._selection_changed, resize=Resize.Stretch)
        layout = page_layout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        self.retranslate()
        self._selection_changed()

    def retranslate(self) -> None:
        set_texts(
            (self.title, self.tr("Staff accounts")),
            (self.refresh_button, self.tr("Refresh")),
            (self.new_button, self.tr("New account…")),
            (self.reset_button, self.tr("Reset password…")),
            (self.deactivate_button, self.tr("Deactivate")),
            (self.unlock_button, self.tr("Unlock"), self.tr("Clear the sign-in lock of the selected account")),
        )
        self.model.retranslate()

    def refresh(self) -> None:
        self.run(self._services.staff_admin.list, session=self._context.session, on_result=self._loaded)

    def _loaded(self, rows: Any) -> None:
        from loyalty_desk.services.clock import utc_now

        self.model.now = utc_now()
        self.model.set_rows(rows)
        self._selection_changed()
        self.sig_loaded.emit(rows)

    def _selection_changed(self, *_: object) -> None:
        row = self.selected()
        for button in (self.reset_button, self.deactivate_button, self.unlock_button):
            button.setEnabled(row is not None)
        if row is not None:
            self.deactivate_button.setEnabled(row.active and row.username != self._context.session.username)

    def _do(self, fn: Any, done_text: str, **kwargs: Any) -> None:
        self.write(fn, session=self._context.session, **kwargs, on_result=lambda _r: self._did(done_text))

    def _did(self, text: str) -> None:
        self.set_banner(text)
        self.sig_done.emit(text)
        self.refresh()

    def ask_new(self) -> None:
        self.run(self._services.staff_admin.branches, on_result=self._ask_new_with, on_error=self.show_error)

    def _ask_new_with(self, branches: tuple[tuple[str, str, str], ...]) -> None:
        self.new_dialog = NewStaffDialog(branches, self._context.settings.language, self, submit=self._create)
        if self.new_dialog.exec() == QDialog.DialogCode.Accepted:
            self._did(self.tr("Account {user} created.").format(user=self.new_dialog.created.username))
        self.new_dialog = None

    def _create(self, values: dict[str, str], on_done: Callable[[Any], None], on_error: Callable[[BaseException], None]) -> None:
        def failed(error: BaseException) -> None:
            on_error(error)
            self.sig_failed.emit(error)

        self.write(self._services.staff_admin.create, session=self._context.session, **values, on_result=on_done, on_error=failed)

    def ask_reset(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = PasswordDialog(row.username, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._do(self._services.staff_admin.reset_password, self.tr("Password of {user} reset.").format(user=row.username),
                     username=row.username, new_password=dialog.password.text())

    def deactivate_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self._do(self._services.staff_admin.deactivate, self.tr("Account {user} deactivated.").format(user=row.username), username=row.username)

    def unlock_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self._do(self._services.staff_admin.unlock, self.tr("Account {user} unlocked.").format(user=row.username), username=row.username)
