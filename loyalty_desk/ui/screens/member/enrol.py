"""Enrolling a walk-in client, opened from the lookup ("Enrol new member…", Ctrl+Shift+N, and the
button offered when nothing matches). Every field is checked as it is typed (``EnrolmentService.problems``:
the member import's identity rules, an ID, mobile or card another member holds, the referrer's code) and
refused at the field naming the rule; Enrol checks the whole form again, shows every problem at once and
writes nothing while one remains. The write runs on the task runner's write thread with the operation id
made when the dialog opened; afterwards the new member opens."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from loyalty_desk.domain.identity import ADDRESS_MAX_LENGTH, IdType
from loyalty_desk.services.dto import HandleKind
from loyalty_desk.ui import fmt
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.screens.base import ScreenDialog
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.widgets import CountedLineEdit, dialog_column, field_error, field_with_error, named, show_field_error

ENROL_ROLES = ("officer", "supervisor")
ENROL_SHORTCUT = "Ctrl+Shift+N"
CHECK_DELAY_MS = 150
FIELDS = ("name", "id_number", "mobile", "card_no", "address", "code")
# What the lookup's text is put into when the dialog opens from a search that found nobody.
PREFILL = {HandleKind.NAME: "name", HandleKind.MOBILE: "mobile", HandleKind.RESIDENT_ID: "id_number", HandleKind.USCC: "id_number",
           HandleKind.PASSPORT: "id_number", HandleKind.CARD_NO: "card_no"}


class EnrolDialog(ScreenDialog):
    """The client's name, ID, mobile, and optionally card, address and a referrer's code."""

    sig_checked = Signal(object)  # list of problems (DomainError) now shown
    sig_enrolled = Signal(object)  # EnrolmentOutcome
    sig_open_member = Signal(str)

    def __init__(self, context: ScreenContext, parent: QWidget | None = None, *, handle: HandleKind | None = None, text: str = "") -> None:
        super().__init__(context, parent)
        self.setObjectName("EnrolDialog")
        self.operation_id = self._services.enrolment.new_operation_id()  # made where the operation starts
        self.outcome: Any = None
        self.problems: list[Any] = []
        self._touched: set[str] = set()
        self._enrolling = False
        self.setWindowTitle(self.tr("Enrol new member"))
        self.setMinimumWidth(560)

        heading = named(QLabel(self.tr("Enrol new member")), "DialogTitle")
        intro = named(QLabel(self.tr("The ID, mobile and card are checked as the member import checks them; one held by another member "
                                     "is refused. The card, the address and a referrer's code may be left empty.")), "Muted")
        intro.setWordWrap(True)
        self.name = named(QLineEdit(), "Name")
        self.name.setMaxLength(100)
        self.id_type = named(QComboBox(), "IdType")
        for key in IdType:
            self.id_type.addItem(fmt.label(fmt.ID_TYPES, key.value), key.value)
        self.id_number = named(QLineEdit(), "IdNumber")
        self.id_number.setMaxLength(20)
        self.mobile = named(QLineEdit(), "Mobile")
        self.mobile.setMaxLength(16)
        self.mobile.setPlaceholderText(self.tr("11 digits starting with 1"))
        self.card_no = named(QLineEdit(), "CardNo")
        self.card_no.setMaxLength(19)
        self.card_no.setPlaceholderText(self.tr("16 digits (optional)"))
        self.address = named(CountedLineEdit(ADDRESS_MAX_LENGTH), "Address")
        self.code = named(QLineEdit(), "Code")
        self.code.setMaxLength(12)
        self.code.setPlaceholderText(self.tr("Referrer's code (optional)"))
        self.fields: dict[str, QLineEdit] = {"name": self.name, "id_number": self.id_number, "mobile": self.mobile, "card_no": self.card_no,
                                             "address": self.address, "code": self.code}
        self.errors = {name: field_error(widget) for name, widget in self.fields.items()}

        form = QFormLayout()
        form.setVerticalSpacing(4)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)

        def row(label_text: str, widgets: list[QWidget], name: str) -> None:
            label = QLabel(label_text)
            label.setBuddy(widgets[0])
            form.addRow(label, field_with_error(widgets, self.errors[name], bottom=4))

        row(self.tr("&Name"), [self.name], "name")
        row(self.tr("&ID"), [self.id_type, self.id_number], "id_number")
        row(self.tr("&Mobile"), [self.mobile], "mobile")
        row(self.tr("&Card"), [self.card_no], "card_no")
        row(self.tr("&Address"), [self.address, self.address.counter], "address")
        row(self.tr("&Referred by"), [self.code], "code")

        self.buttons = QDialogButtonBox()
        self.submit_button = self.buttons.addButton(self.tr("Enrol"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.submit_button.setObjectName("Primary")
        self.submit_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.submit_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        dialog_column(self, heading, intro, form, self.banner, self.buttons)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(CHECK_DELAY_MS)
        self.timer.timeout.connect(self.check)
        for name, widget in self.fields.items():
            widget.textEdited.connect(lambda _text, n=name: self._changed(n))
        self.id_type.currentIndexChanged.connect(lambda _i: self._changed("id_number"))

        target = PREFILL.get(handle) if handle is not None else None
        if target is not None and text.strip():
            self.fields[target].setText(text.strip())
            if handle in (HandleKind.USCC, HandleKind.PASSPORT, HandleKind.RESIDENT_ID):
                self.id_type.setCurrentIndex(self.id_type.findData({HandleKind.USCC: "uscc", HandleKind.PASSPORT: "passport"}.get(handle,
                                                                                                                                    "resident_id")))
            self._touched.add(target)
            self.check()
        self.name.setFocus()

    # ------------------------------------------------------------------ checking as the officer types

    def values(self) -> dict[str, Any]:
        return {"name": self.name.text(), "id_type": self.id_type.currentData(), "id_number": self.id_number.text(),
                "mobile": self.mobile.text(), "card_no": self.card_no.text() or None, "address": self.address.text() or None,
                "code": self.code.text() or None}

    def _changed(self, name: str) -> None:
        self._touched.add(name)
        self.banner.hide()
        self.timer.start()

    def check(self) -> None:
        """Runs the service's checks off the UI thread; the newest answer wins."""
        self.timer.stop()
        request = self.supersede("check")
        self.run(self._services.enrolment.problems, partial=True, **self.values(),
                 on_result=lambda problems: self._checked(request, problems), on_error=self.show_error)

    @staticmethod
    def _field_of(problem: Any) -> str | None:
        field = problem.params.get("field") if hasattr(problem, "params") else None
        if field == "id_type":
            field = "id_number"
        return field if field in FIELDS else None

    def _checked(self, request: int, problems: list[Any]) -> None:
        if not self.is_latest("check", request):
            return
        self.problems = list(problems)
        by_field: dict[str, str] = {}
        general: list[str] = []
        for problem in self.problems:
            field = self._field_of(problem)
            if field is None:
                general.append(error_message(problem))
            else:
                by_field.setdefault(field, error_message(problem))
        for name, label in self.errors.items():
            show_field_error(label, by_field.get(name, "") if name in self._touched else "")
        self.set_banner("\n".join(general), "error" if general else "")
        self.sig_checked.emit(self.problems)

    # ------------------------------------------------------------------ enrolling

    def submit(self) -> None:
        """Checks the whole form (required fields too) and enrols only when nothing is refused;
        otherwise every problem is shown at its field at once and what was typed stays."""
        if self._enrolling:
            return
        self._enrolling = True
        self.submit_button.setEnabled(False)
        self.timer.stop()
        self._touched.update(FIELDS)
        request = self.supersede("check")
        self.run(self._services.enrolment.problems, partial=False, **self.values(),
                 on_result=lambda problems: self._checked_before_enrolling(request, problems), on_error=self._failed)

    def _checked_before_enrolling(self, request: int, problems: list[Any]) -> None:
        self._checked(request, problems)
        if not self.is_latest("check", request) or self.problems:
            self._enrolling = False
            self.submit_button.setEnabled(True)
            first = next((name for name in FIELDS if self.errors[name].isVisibleTo(self)), None)
            if first is not None:
                self.fields[first].setFocus()
            return
        self.write(self._services.enrolment.enrol, operation_id=self.operation_id, session=self._context.session, **self.values(),
                   on_result=self._enrolled, on_error=self._failed)

    def _enrolled(self, outcome: Any) -> None:
        self.outcome = outcome
        self.sig_enrolled.emit(outcome)
        self.sig_open_member.emit(outcome.member_no)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        """A refusal that names a field goes under it; any other in the banner. The form keeps what was typed."""
        field = self._field_of(error)
        if field is not None:
            show_field_error(self.errors[field], error_message(error))
        else:
            self.show_error(error)
        self._enrolling = False
        self.submit_button.setEnabled(True)
        self.sig_failed.emit(error)
