"""A form dialog whose every field is checked as it is typed: the service's problems shown under the
fields the officer has touched (the others in the banner), the newest check's answer winning, and a
submit that checks the whole form again first (the enrolment and the referral registration)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPushButton, QWidget

from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.screens.base import ScreenDialog
from loyalty_desk.ui.widgets import field_error, field_with_error, named, show_field_error

CHECK_DELAY_MS = 150


class CheckedFormDialog(ScreenDialog):
    """Subclasses call ``title_and_intro`` and ``checked_fields`` with their fields in form order, build the form
    with ``form_row``, make their buttons with ``submit_buttons`` and call ``check_as_typed``; they give
    ``values`` and ``problems_of`` (the service's check)."""

    sig_checked = Signal(object)  # list of problems (DomainError) now shown

    banner_for_field_refusals = False  # a refusal naming a field also shown in the banner
    fields: dict[str, QLineEdit]
    errors: dict[str, QLabel]
    submit_button: QPushButton

    def title_and_intro(self, object_name: str, title: str, intro: str) -> tuple[QLabel, QLabel]:
        """The dialog's object name and title; the heading (``title``) and the ``intro`` under it, for the layout."""
        self.setObjectName(object_name)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        intro_label = named(QLabel(intro), "Muted")
        intro_label.setWordWrap(True)
        return named(QLabel(title), "DialogTitle"), intro_label

    def submit_buttons(self, submit_text: str, cancel_text: str) -> None:
        """``buttons``: ``submit_button`` (the default), which submits the form, and ``cancel_button``."""
        self.buttons = QDialogButtonBox()
        self.submit_button = self.buttons.addButton(submit_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.submit_button.setObjectName("Primary")
        self.submit_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(cancel_text, QDialogButtonBox.ButtonRole.RejectRole)
        self.submit_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)

    def checked_fields(self, fields: dict[str, QLineEdit], touched: set[str] | None = None) -> QFormLayout:
        """The fields and their error labels; returns the form their rows go into."""
        self.problems: list[Any] = []
        self._touched = set(touched or ())
        self._submitting = False
        self.fields = fields
        self.errors = {name: field_error(widget) for name, widget in fields.items()}
        self._form = QFormLayout()
        self._form.setVerticalSpacing(4)
        self._form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        return self._form

    def form_row(self, text: str, widgets: list[QWidget], name: str) -> None:
        label = QLabel(text)
        label.setBuddy(widgets[0])
        self._form.addRow(label, field_with_error(widgets, self.errors[name], bottom=4))

    def check_as_typed(self, id_type: QComboBox) -> None:
        """Every field's edit (and the ID type's change) checks the form after a short pause."""
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(CHECK_DELAY_MS)
        self.timer.timeout.connect(self.check)
        for name, widget in self.fields.items():
            widget.textEdited.connect(lambda _text, n=name: self._changed(n))
        id_type.currentIndexChanged.connect(lambda _i: self._changed("id_number"))

    def values(self) -> dict[str, Any]:
        raise NotImplementedError

    def problems_of(self) -> Callable[..., Any]:
        """The service call that lists the form's problems (``partial`` and the values as keywords)."""
        raise NotImplementedError

    def _changed(self, name: str) -> None:
        self._touched.add(name)
        self.banner.hide()
        self.timer.start()

    def check(self) -> int:
        """Runs the service's checks off the UI thread; the newest answer wins. Returns the request."""
        self.timer.stop()
        request = self.supersede("check")
        self.run(self.problems_of(), partial=True, **self.values(),
                 on_result=lambda problems: self._checked(request, problems), on_error=self.show_error)
        return request

    def field_of(self, problem: Any) -> str | None:
        field = getattr(problem, "field", None) or getattr(problem, "params", {}).get("field")
        if field == "id_type":
            field = "id_number"
        return field if field in self.fields else None

    def _checked(self, request: int, problems: list[Any]) -> None:
        if not self.is_latest("check", request):
            return
        self.problems = list(problems)
        by_field: dict[str, str] = {}
        general: list[str] = []
        for problem in self.problems:
            field = self.field_of(problem)
            if field is None:
                general.append(error_message(problem))
            else:
                by_field.setdefault(field, error_message(problem))
        for name, label in self.errors.items():
            show_field_error(label, by_field.get(name, "") if name in self._touched else "")
        self.set_banner("\n".join(general), "error" if general else "")
        self.sig_checked.emit(self.problems)

    def submit(self) -> None:
        """Checks the whole form (required fields too) and writes only when nothing is refused;
        otherwise every problem is shown at its field at once and what was typed stays."""
        if self._submitting:
            return
        self._submitting = True
        self.submit_button.setEnabled(False)
        self.timer.stop()
        self._touched.update(self.fields)
        request = self.supersede("check")
        self.run(self.problems_of(), partial=False, **self.values(),
                 on_result=lambda problems: self._checked_before_writing(request, problems), on_error=self.refused)

    def _checked_before_writing(self, request: int, problems: list[Any]) -> None:
        self._checked(request, problems)
        if not self.is_latest("check", request) or self.problems:
            self._unlock_submit()
            first = next((name for name in self.fields if self.errors[name].isVisibleTo(self)), None)
            if first is not None:
                self.fields[first].setFocus()
            return
        self.write_checked()

    def write_checked(self) -> None:
        """The write itself, once the whole form passed its checks."""
        raise NotImplementedError

    def refused(self, error: BaseException) -> None:
        """A refusal that names a field goes under it, any other in the banner; the form keeps what was typed."""
        field = self.field_of(error)
        if field is not None:
            show_field_error(self.errors[field], error_message(error))
        if field is None or self.banner_for_field_refusals:
            self.show_error(error)
        else:
            self.sig_failed.emit(error)
        self._unlock_submit()

    def _unlock_submit(self) -> None:
        self._submitting = False
        self.submit_button.setEnabled(True)
