"""The form every member maintenance dialog is (``ui/screens/member/care.py``, ``closing.py``): its fields,
each with the line that says why it is refused, checked as typed; Save writes with the operation id made
when the dialog opened, a refusal from the service shown under the field it names."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QPlainTextEdit, QPushButton, QWidget

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.domain.member_care import NOTE_MAX_LENGTH, NOTE_MIN_LENGTH
from loyalty_desk.services.members.dto import MemberView
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.screens.base import ScreenDialog
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.widgets import dialog_column, field_error, named, show_field_error, side_form_row


class CareDialog(ScreenDialog):
    """A maintenance form: its fields, each with the line that says why it is refused; Save writes."""

    sig_done = Signal(object)  # MemberCareOutcome
    kind = ""

    def __init__(self, context: ScreenContext, view: MemberView, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.view = view
        self.operation_id = self._services.member_care.new_operation_id()  # made where the operation starts
        self._touched: set[str] = set()
        self.setMinimumWidth(500)
        self.heading = named(QLabel(), "DialogTitle")
        self.member_line = QLabel(QCoreApplication.translate("MemberCare", "{name} · {member_no}").format(name=view.masked_name, member_no=view.member_no))
        self.member_line.setWordWrap(True)
        self.note = named(QPlainTextEdit(), "Note")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(72)
        self.form = QFormLayout()
        self.form.setVerticalSpacing(4)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.errors: dict[str, QLabel] = {}
        self.buttons = QDialogButtonBox()
        self.save_button: QPushButton = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(QCoreApplication.translate("MemberCare", "Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)

    def present(self, object_name: str, title: str, note_hint: str, save_text: str = "") -> None:
        """The dialog's object name, its title (the window's and the heading), what the note should say and
        the Save button's words (the title's when not given)."""
        self.setObjectName(object_name)
        self.setWindowTitle(title)
        self.heading.setText(title)
        self.note.setPlaceholderText(note_hint)
        self.save_button.setText(save_text or title)

    def add_row(self, text: str, widget: QWidget, name: str) -> None:
        self.errors[name] = field_error(widget)
        side_form_row(self.form, [widget], self.errors[name], (QWidget,), text=text, bottom=4)

    def finish_layout(self, *before_form: QWidget) -> None:
        label = QCoreApplication.translate("MemberCare", "&Note ({minimum}–{maximum} characters)")
        self.add_row(label.format(minimum=NOTE_MIN_LENGTH, maximum=NOTE_MAX_LENGTH), self.note, "note")
        self.note.textChanged.connect(lambda: self.changed("note"))
        dialog_column(self, self.heading, self.member_line, *before_form, self.form, self.banner, self.buttons)

    # ------------------------------------------------------------------ checking as the officer types

    def values(self) -> dict[str, Any]:
        return {"note": self.note.toPlainText()}

    def changed(self, name: str) -> None:
        self._touched.add(name)
        self.banner.hide()
        self.check()

    def check(self) -> list[DomainError]:
        """Shows every problem under its field (fields touched so far); the problems."""
        problems = self._services.member_care.form_problems(**self.values())
        by_field: dict[str, str] = {}
        for problem in problems:
            by_field.setdefault(str(problem.params.get("field")), error_message(problem))
        for name, label in self.errors.items():
            show_field_error(label, by_field.get(self._field_of(name), "") if name in self._touched else "")
        return problems

    @staticmethod
    def _field_of(name: str) -> str:
        return "reason_code" if name == "reason" else name

    # ------------------------------------------------------------------ saving

    def submit(self) -> None:
        self._touched.update(self.errors)
        if self.check():
            return
        self.save_button.setEnabled(False)
        self.write(self.save_call(), operation_id=self.operation_id, session=self._context.session, member_no=self.view.member_no,
                   on_result=self._saved, on_error=self._failed, **self.values())

    def save_call(self) -> Any:
        raise NotImplementedError

    def _saved(self, outcome: Any) -> None:
        self.sig_done.emit(outcome)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        """A refusal that names a field goes under it; any other in the banner. The form keeps what was typed."""
        self.save_button.setEnabled(True)
        field = error.params.get("field") if isinstance(error, DomainError) else None
        name = "reason" if field == "reason_code" else field
        if isinstance(name, str) and name in self.errors:
            show_field_error(self.errors[name], error_message(error))
        else:
            self.show_error(error)
        self.sig_failed.emit(error)
