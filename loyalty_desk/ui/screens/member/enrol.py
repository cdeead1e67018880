"""Enrolling a walk-in client, opened from the lookup ("Enrol new member…", Ctrl+Shift+N, and the
button offered when nothing matches). Every field is checked as it is typed (``EnrolmentService.problems``:
the member import's identity rules, an ID, mobile or card another member holds, the referrer's code) and
refused at the field naming the rule; Enrol checks the whole form again, shows every problem at once and
writes nothing while one remains. The write runs on the task runner's write thread with the operation id
made when the dialog opened; afterwards the new member opens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from loyalty_desk.domain.identity import ADDRESS_MAX_LENGTH, IdType
from loyalty_desk.services.dto import HandleKind
from loyalty_desk.ui import fmt
from loyalty_desk.ui.screens.checked_form import CheckedFormDialog
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.widgets import CountedLineEdit, dialog_column, named

ENROL_ROLES = ("officer", "supervisor")
ENROL_SHORTCUT = "Ctrl+Shift+N"
# What the lookup's text is put into when the dialog opens from a search that found nobody.
PREFILL = {HandleKind.NAME: "name", HandleKind.MOBILE: "mobile", HandleKind.RESIDENT_ID: "id_number", HandleKind.USCC: "id_number",
           HandleKind.PASSPORT: "id_number", HandleKind.CARD_NO: "card_no"}


class EnrolDialog(CheckedFormDialog):
    """The client's name, ID, mobile, and optionally card, address and a referrer's code."""

    sig_enrolled = Signal(object)  # EnrolmentOutcome
    sig_open_member = Signal(str)

    def __init__(self, context: ScreenContext, parent: QWidget | None = None, *, handle: HandleKind | None = None, text: str = "") -> None:
        super().__init__(context, parent)
        self.operation_id = self._services.enrolment.new_operation_id()  # made where the operation starts
        self.outcome: Any = None
        heading, intro = self.title_and_intro("EnrolDialog", self.tr("Enrol new member"),
                                              self.tr("The ID, mobile and card are checked as the member import checks them; one held by another member "
                                                      "is refused. The card, the address and a referrer's code may be left empty."))
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
        form = self.checked_fields({"name": self.name, "id_number": self.id_number, "mobile": self.mobile, "card_no": self.card_no,
                                    "address": self.address, "code": self.code})
        self.form_row(self.tr("&Name"), [self.name], "name")
        self.form_row(self.tr("&ID"), [self.id_type, self.id_number], "id_number")
        self.form_row(self.tr("&Mobile"), [self.mobile], "mobile")
        self.form_row(self.tr("&Card"), [self.card_no], "card_no")
        self.form_row(self.tr("&Address"), [self.address, self.address.counter], "address")
        self.form_row(self.tr("&Referred by"), [self.code], "code")

        self.submit_buttons(self.tr("Enrol"), self.tr("Cancel"))
        dialog_column(self, heading, intro, form, self.banner, self.buttons)
        self.check_as_typed(self.id_type)

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

    def problems_of(self) -> Callable[..., Any]:
        return self._services.enrolment.problems

    # ------------------------------------------------------------------ enrolling

    def write_checked(self) -> None:
        self.write(self._services.enrolment.enrol, operation_id=self.operation_id, session=self._context.session, **self.values(),
                   on_result=self._enrolled, on_error=self.refused)

    def _enrolled(self, outcome: Any) -> None:
        self.outcome = outcome
        self.sig_enrolled.emit(outcome)
        self.sig_open_member.emit(outcome.member_no)
        self.accept()
