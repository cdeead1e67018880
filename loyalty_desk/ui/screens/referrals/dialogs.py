"""Referrals: the registration form."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPushButton, QWidget

from loyalty_desk.domain.identity import ADDRESS_MAX_LENGTH
from loyalty_desk.ui import fmt
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.icons import icon
from loyalty_desk.ui.screens.base import ScreenDialog
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.screens.referrals.models import CHECK_DELAY_MS, FLAG_SHORT, FORM_FIELDS, ID_TYPES, _t, grouped_code
from loyalty_desk.ui.widgets import CountedLineEdit, field_error, field_with_error, named, show_field_error

# ---------------------------------------------------------------------------- the registration form


class ReferralDialog(ScreenDialog):
    """Registers a referee under a referrer's code; every rule is checked as the officer types
    (field rules under the fields, the referrer's refusals in the banner)."""

    sig_checked = Signal(object)  # list of problems (DomainError)
    sig_registered = Signal(object)  # RegistrationOutcome
    sig_open_member = Signal(str)

    def __init__(self, context: ScreenContext, code: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("ReferralDialog")
        self.operation_id = self._services.referrals.new_operation_id()  # made where the operation starts
        self.outcome: Any = None
        self.problems: list[Any] = []
        self._touched: set[str] = {"code"} if code else set()
        self.setWindowTitle(self.tr("Register a referral"))
        self.setMinimumWidth(560)

        heading = named(QLabel(self.tr("Register a referral")), "DialogTitle")
        intro = named(QLabel(self.tr("The new client becomes a member with their own number and referral code. "
                               "Rewards follow once they qualify (financing or card use within 90 days).")), "Muted")
        intro.setWordWrap(True)
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
        self.fields: dict[str, QWidget] = {"code": self.code, "name": self.name, "id_number": self.id_number, "mobile": self.mobile,
                                           "address": self.address}
        self.errors = {name: field_error(widget) for name, widget in self.fields.items()}

        form = QFormLayout()
        form.setVerticalSpacing(4)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)

        def row(text: str, widgets: list[QWidget], name: str) -> None:
            label = QLabel(text)
            label.setBuddy(widgets[0])
            form.addRow(label, field_with_error(widgets, self.errors[name], bottom=4))

        row(self.tr("Referrer's &code"), [self.code], "code")
        form.addRow("", self.referrer_line)
        row(self.tr("&Name"), [self.name], "name")
        row(self.tr("&ID"), [self.id_type, self.id_number], "id_number")
        row(self.tr("&Mobile"), [self.mobile], "mobile")
        row(self.tr("&Address"), [self.address, self.address.counter], "address")

        self.buttons = QDialogButtonBox()
        self.submit_button = self.buttons.addButton(self.tr("Register"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.submit_button.setObjectName("Primary")
        self.submit_button.setDefault(True)
        self._registering = False
        self.cancel_button = self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.submit_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        self.open_button = QPushButton(icon("member"), self.tr("Open the new member"))
        self.open_button.clicked.connect(self._open_new_member)
        self.form_then_done(heading, (intro, form), self.open_button)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(CHECK_DELAY_MS)
        self.timer.timeout.connect(self.check)
        for name, widget in (("code", self.code), ("name", self.name), ("id_number", self.id_number), ("mobile", self.mobile),
                             ("address", self.address)):
            widget.textEdited.connect(lambda _text, n=name: self._changed(n))
        self.id_type.currentIndexChanged.connect(lambda _i: self._changed("id_number"))
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

    def _changed(self, name: str) -> None:
        self._touched.add(name)
        self.banner.hide()
        self.timer.start()

    def check(self) -> None:
        """Runs the service's checks off the UI thread; the newest answer wins."""
        self.timer.stop()
        request = self.supersede("check")
        self.run(
            self._services.referrals.check, partial=True, **self.values(),
            on_result=lambda problems: self._checked(request, problems),
            on_error=self.show_error,
        )
        if "code" in self._touched:
            self.run(
                self._services.referrals.referrer, code=self.code.text(),
                on_result=lambda preview: self._referrer(request, preview),
                on_error=lambda _error: self._referrer(request, None),
            )

    def _referrer(self, request: int, preview: Any) -> None:
        if not self.is_latest("check", request):
            return
        if preview is None:
            self.referrer_line.setText("")
            return
        self.referrer_line.setText(self.tr("Referred by {name} · {member_no} · branch {branch}").format(
            name=preview.masked_name, member_no=preview.member_no, branch=preview.branch_code))

    def _field_of(self, problem: Any) -> str | None:
        field = getattr(problem, "field", None) or problem.params.get("field")
        if field == "id_type":
            field = "id_number"
        return field if field in FORM_FIELDS else None

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

    # ------------------------------------------------------------------ registering

    def submit(self) -> None:
        """Checks the whole form (required fields too) and registers only when nothing is refused;
        otherwise every problem is shown at its field at once and what was typed stays."""
        if self._registering:
            return
        self._registering = True
        self.submit_button.setEnabled(False)
        self.timer.stop()
        self._touched.update(FORM_FIELDS)
        request = self.supersede("check")
        self.run(
            self._services.referrals.check, partial=False, **self.values(),
            on_result=lambda problems: self._checked_before_registering(request, problems),
            on_error=self._failed,
        )

    def _checked_before_registering(self, request: int, problems: list[Any]) -> None:
        self._checked(request, problems)
        if not self.is_latest("check", request) or self.problems:
            self._registering = False
            self.submit_button.setEnabled(True)
            first = next((name for name in FORM_FIELDS if self.errors[name].isVisibleTo(self)), None)
            if first is not None:
                self.fields[first].setFocus()
            return
        self.write(
            self._services.referrals.register, operation_id=self.operation_id, session=self._context.session, **self.values(),
            on_result=self._registered, on_error=self._failed,
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

    def _failed(self, error: BaseException) -> None:
        self.show_error(error)
        field = self._field_of(error) if hasattr(error, "params") else None
        if field is not None:
            show_field_error(self.errors[field], error_message(error))
        self._registering = False
        self.submit_button.setEnabled(True)
        self.sig_failed.emit(error)

    def _open_new_member(self) -> None:
        if self.outcome is not None:
            self.sig_open_member.emit(self.outcome.referee_no)
        self.accept()
