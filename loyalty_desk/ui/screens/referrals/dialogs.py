"""Referrals: the registration form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton, QWidget

from loyalty_desk.domain.identity import ADDRESS_MAX_LENGTH
from loyalty_desk.ui import fmt
from loyalty_desk.ui.icons import icon
from loyalty_desk.ui.screens.checked_form import CheckedFormDialog
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.screens.referrals.models import FLAG_SHORT, ID_TYPES, _t, grouped_code
from loyalty_desk.ui.widgets import CountedLineEdit, named

# ---------------------------------------------------------------------------- the registration form


class ReferralDialog(CheckedFormDialog):
    """Registers a referee under a referrer's code; every rule is checked as the officer types
    (field rules under the fields, the referrer's refusals in the banner)."""

    sig_registered = Signal(object)  # RegistrationOutcome
    banner_for_field_refusals = True
    sig_open_member = Signal(str)

    def __init__(self, context: ScreenContext, code: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.operation_id = self._services.referrals.new_operation_id()  # made where the operation starts
        self.outcome: Any = None
        heading, intro = self.title_and_intro("ReferralDialog", self.tr("Register a referral"),
                                              self.tr("The new client becomes a member with their own number and referral code. "
                                                      "Rewards follow once they qualify (financing or card use within 90 days)."))
        self.code = named(QLineEdit(), "Code")
        self.code.setMaxLength(12)
        self.code.setPlaceholderText("ABCD 1234")
        self.referrer_line = named(QLabel(), "Muted")
        self.name = named(QLineEdit(), "Name")
        self.id_type = named(QComboBox(), "IdType")
        for key in ID_TYPES:
            self.id_type.addItem(fmt.label(fmt.ID_TYPES, key), key)
        self.id_number = named(QLineEdit(), "IdNumber")
        self.id_number.setMaxLength(20)
        self.mobile = named(QLineEdit(), "Mobile")
        self.mobile.setMaxLength(16)
        self.address = named(CountedLineEdit(ADDRESS_MAX_LENGTH), "Address")
        form = self.checked_fields({"code": self.code, "name": self.name, "id_number": self.id_number, "mobile": self.mobile,
                                    "address": self.address}, touched={"code"} if code else None)
        self.form_row(self.tr("Referrer's &code"), [self.code], "code")
        form.addRow("", self.referrer_line)
        self.form_row(self.tr("&Name"), [self.name], "name")
        self.form_row(self.tr("&ID"), [self.id_type, self.id_number], "id_number")
        self.form_row(self.tr("&Mobile"), [self.mobile], "mobile")
        self.form_row(self.tr("&Address"), [self.address, self.address.counter], "address")

        self.submit_buttons(self.tr("Register"), self.tr("Cancel"))
        self.open_button = QPushButton(icon("member"), self.tr("Open the new member"))
        self.open_button.clicked.connect(self._open_new_member)
        self.form_then_done(heading, (intro, form), self.open_button)

        self.check_as_typed(self.id_type)
        if code:
            self.code.setText(grouped_code(code))
            self.name.setFocus()
            self.check()
        else:
            self.code.setFocus()

    # ------------------------------------------------------------------ checking as the officer types

    def values(self) -> dict[str, Any]:
        return {
            "code": self.code.text(),
            "name": self.name.text(),
            "id_type": self.id_type.currentData(),
            "id_number": self.id_number.text(),
            "mobile": self.mobile.text(),
            "address": self.address.text() or None,
        }

    def problems_of(self) -> Callable[..., Any]:
        return self._services.referrals.check

    def check(self) -> int:
        """The form's checks, and the referrer's preview once the code was typed."""
        request = super().check()
        if "code" in self._touched:
            self.run(
                self._services.referrals.referrer, code=self.code.text(),
                on_result=lambda preview: self._referrer(request, preview),
                on_error=lambda _error: self._referrer(request, None),
            )
        return request

    def _referrer(self, request: int, preview: Any) -> None:
        if not self.is_latest("check", request):
            return
        if preview is None:
            self.referrer_line.setText("")
            return
        self.referrer_line.setText(self.tr("Referred by {name} · {member_no} · branch {branch}").format(
            name=preview.masked_name, member_no=preview.member_no, branch=preview.branch_code))

    # ------------------------------------------------------------------ registering

    def write_checked(self) -> None:
        self.write(
            self._services.referrals.register, operation_id=self.operation_id, session=self._context.session, **self.values(),
            on_result=self._registered, on_error=self.refused,
        )

    def _registered(self, outcome: Any) -> None:
        self.outcome = outcome
        self.done_text.setText(self.tr("{name} is now member {member_no}, with referral code {code}.").format(
            name=self.name.text().strip(), member_no=outcome.referee_no, code=grouped_code(outcome.referee_code)))
        if outcome.status == "flagged":
            reasons = "; ".join(_t(FLAG_SHORT[c]) if c in FLAG_SHORT else c for c in outcome.flags)
            self.done_hint.setText(self.tr("The referral is flagged for a supervisor's review ({reasons}); "
                                           "it cannot qualify until it is cleared.").format(reasons=reasons))
        else:
            self.done_hint.setText(self.tr("The referral is registered. It qualifies when {name} draws a financing of "
                                           "100,000 CNY or more, or activates a card and spends 500 CNY, within 90 days.").format(
                name=self.name.text().strip()))
        self.pages.setCurrentIndex(1)
        self.open_button.setFocus()
        self.sig_registered.emit(outcome)

    def _open_new_member(self) -> None:
        if self.outcome is not None:
            self.sig_open_member.emit(self.outcome.referee_no)
        self.accept()
