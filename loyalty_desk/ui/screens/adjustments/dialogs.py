"""Adjustments: the request dialog and the supervisor's at-desk approval dialog."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from loyalty_desk.domain.adjustments import POINTS_MAX
from loyalty_desk.ui import fmt
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.icons import icon
from loyalty_desk.ui.screens.adjustments.models import DIRECTIONS, EVIDENCE, FORM_FIELDS, REASONS, _t, reason_label, status_label
from loyalty_desk.ui.screens.base import ScreenDialog, SupervisorDialog
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.widgets import NumberField, field_error, named, show_field_error, side_form_row

# ---------------------------------------------------------------------------- the request dialog


class AdjustmentRequestDialog(ScreenDialog):
    """Credit or debit with a reason code, memo and evidence; checked as the officer types.
    After filing, offers "Supervisor approval" for an approval at this desk."""

    sig_submitted = Signal(object)  # AdjustmentOutcome
    sig_decided = Signal(object)  # an at-desk approval's outcome
    sig_limits_ready = Signal()

    def __init__(self, context: ScreenContext, view: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("AdjustmentRequestDialog")
        self.view = view
        self.available = int(view.available_balance)
        self.limits: dict[str, int] | None = None
        self.operation_id = self._services.adjustments.new_operation_id()  # made where the operation starts
        self.outcome: Any = None
        self.approval_dialog: SupervisorApprovalDialog | None = None
        self._touched: set[str] = {"direction"}  # never empty; its cross-field rule (debit only) shows at once
        self.setWindowTitle(self.tr("Manual adjustment"))
        self.setMinimumWidth(520)

        heading = named(QLabel(self.tr("Manual adjustment")), "DialogTitle")
        self.member_line = QLabel()
        self.member_line.setWordWrap(True)
        self.direction = named(QComboBox(), "Direction")
        for key in DIRECTIONS:
            self.direction.addItem(_t(DIRECTIONS[key]), key)
        self.points = named(NumberField(1, POINTS_MAX), "Points")
        self.reason = named(QComboBox(), "Reason")
        self.reason.addItem(self.tr("Choose a reason…"), "")
        for key in REASONS:
            self.reason.addItem(reason_label(key), key)
        self.memo = named(QPlainTextEdit(), "Memo")
        self.memo.setTabChangesFocus(True)
        self.memo.setFixedHeight(72)
        self.memo.setPlaceholderText(self.tr("What happened, and why the points should change"))
        self.evidence = named(QLineEdit(), "Evidence")
        self.errors = {name: field_error(widget) for name, widget in (
            ("direction", self.direction), ("points", self.points), ("reason_code", self.reason), ("memo", self.memo),
            ("evidence_ref", self.evidence))}
        self.hint = named(QLabel(), "Muted")
        self.hint.setWordWrap(True)

        form = QFormLayout()
        form.setVerticalSpacing(4)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)

        def row(text: str, widget: QWidget, name: str) -> QLabel:
            return side_form_row(form, [widget], self.errors[name], (QWidget,), text=text, bottom=4)

        row(self.tr("&Direction"), self.direction, "direction")
        row(self.tr("&Points"), self.points, "points")
        row(self.tr("&Reason code"), self.reason, "reason_code")
        row(self.tr("&Memo"), self.memo, "memo")
        self.evidence_label = row(self.tr("&Evidence"), self.evidence, "evidence_ref")

        self.buttons = QDialogButtonBox()
        self.submit_button = self.buttons.addButton(self.tr("Submit for approval"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.submit_button.setDefault(True)
        self.submit_button.setEnabled(False)
        self.cancel_button = self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.submit_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)

        self.approve_button = QPushButton(icon("approvals"), self.tr("Supervisor approval…"))
        self.approve_button.setToolTip(self.tr("A supervisor signs in here with their own credentials to approve now"))
        self.approve_button.clicked.connect(self.ask_approval)
        self.form_then_done(heading, (self.member_line, form, self.hint), self.approve_button)

        self.member_line.setText(
            self.tr("{name} · {member_no} · available {available} points").format(
                name=view.masked_name, member_no=view.member_no, available=fmt.number(self.available))
        )
        self.direction.currentIndexChanged.connect(lambda: self._changed("direction"))
        self.points.textChanged.connect(lambda: self._changed("points"))
        self.reason.currentIndexChanged.connect(lambda: self._changed("reason_code"))
        self.memo.textChanged.connect(lambda: self._changed("memo"))
        self.evidence.textChanged.connect(lambda: self._changed("evidence_ref"))
        self._update_evidence()
        self.run(self._services.adjustments.limits, on_result=self._limits_arrived, on_error=self.show_error)

    # ------------------------------------------------------------------ checking as the officer types

    def values(self) -> dict[str, Any]:
        return {
            "direction": self.direction.currentData(),
            "points": points if (points := self.points.value()) is not None else self.points.text(),
            "reason_code": self.reason.currentData() or "",
            "memo": self.memo.toPlainText(),
            "evidence_ref": self.evidence.text(),
        }

    def _limits_arrived(self, limits: dict[str, int]) -> None:
        self.limits = limits
        self.check()
        self.sig_limits_ready.emit()

    def _changed(self, name: str) -> None:
        self._touched.add(name)
        if name == "reason_code":
            self._update_evidence()
            self._touched.add("evidence_ref")
        self.banner.hide()
        self.check()

    def _update_evidence(self) -> None:
        code = self.reason.currentData() or ""
        needed = EVIDENCE.get(code)
        self.evidence_label.setText(self.tr("&Evidence") if needed else self.tr("&Evidence (optional)"))
        self.evidence.setPlaceholderText(_t(needed) if needed else self.tr("not needed for this reason"))

    def check(self) -> list[Any]:
        """Shows every problem under its field (fields touched so far) and enables Submit when none."""
        if self.limits is None:
            return []
        problems = self._services.adjustments.form_problems(available=self.available, **self.values())
        by_field: dict[str, str] = {}
        for problem in problems:
            by_field.setdefault(problem.field, error_message(problem))
        for name, label in self.errors.items():
            show_field_error(label, by_field.get(name, "") if name in self._touched else "")
        self.submit_button.setEnabled(not problems)
        points = self.points.value() or 0
        hints = []
        if points >= self.limits["dual_approval_threshold"]:
            hints.append(self.tr("{n} points or more: two different supervisors must approve.").format(
                n=fmt.number(self.limits["dual_approval_threshold"])))
        if self.direction.currentData() == "debit" and points and points <= self.available:
            hints.append(self.tr("The points are held until the request is decided: available after filing {n}.").format(
                n=fmt.number(self.available - points)))
        hints.append(self.tr("Nothing is posted until a supervisor approves; the request expires after {h} hours.").format(
            h=self.limits["request_lifetime_hours"]))
        self.hint.setText("\n".join(hints))
        return problems

    # ------------------------------------------------------------------ filing

    def submit(self) -> None:
        self._touched.update(FORM_FIELDS)
        if self.check() or self.limits is None:
            return
        self.submit_button.setEnabled(False)
        values = self.values()
        self.write(
            self._services.adjustments.request,
            operation_id=self.operation_id,
            session=self._context.session,
            member_no=self.view.member_no,
            on_result=self._submitted,
            on_error=self._failed,
            **values,
        )

    def _submitted(self, outcome: Any) -> None:
        self.outcome = outcome
        self.done_text.setText(
            self.tr("Request no. {id} is waiting for a supervisor: {points} points, {reason}.").format(
                id=outcome.request_id, points=fmt.signed((self.points.value() or 0) * (-1 if self.direction.currentData() == "debit" else 1)),
                reason=reason_label(self.reason.currentData()))
        )
        self.done_hint.setText(
            self.tr("It needs %n approval(s). A supervisor can approve it here now, or later from the approvals queue. "
                    "Available balance now {available}.", "", outcome.approvals_needed).format(available=fmt.number(outcome.available_balance))
        )
        self.pages.setCurrentIndex(1)
        self.approve_button.setFocus()
        self.sig_submitted.emit(outcome)

    def _failed(self, error: BaseException) -> None:
        self.show_error(error)
        self.submit_button.setEnabled(True)
        self.sig_failed.emit(error)

    def ask_approval(self) -> None:
        if self.outcome is None or self.approval_dialog is not None:
            return
        summary = self.tr("Request no. {id}: {points} points for {member} ({reason}), made by {maker}.").format(
            id=self.outcome.request_id,
            points=fmt.signed((self.points.value() or 0) * (-1 if self.direction.currentData() == "debit" else 1)),
            member=f"{self.view.masked_name} {self.view.member_no}", reason=reason_label(self.reason.currentData()),
            maker=self._context.session.display_name,
        )
        dialog = SupervisorApprovalDialog(self._context, self.outcome.request_id, summary, self.outcome.approvals_needed, self)
        dialog.sig_decided.connect(self._decided)
        self.open_dialog("approval_dialog", dialog)

    def _decided(self, outcome: Any) -> None:
        self.sig_decided.emit(outcome)
        if outcome.status != "pending":
            self.done_text.setText(
                self.tr("Request no. {id} is {status}.").format(id=outcome.request_id, status=status_label(outcome.status).lower())
                if outcome.status != "approved" else
                self.tr("Request no. {id} is approved and posted. Available balance now {available}.").format(
                    id=outcome.request_id, available=fmt.number(outcome.available_balance))
            )
            self.done_hint.setText("")
            self.approve_button.setEnabled(False)
            self.close_button.setFocus()


# ---------------------------------------------------------------------------- supervisor approval at the desk


class SupervisorApprovalDialog(SupervisorDialog):
    """A supervisor signs in with their own credentials to approve or reject a request at this desk.
    The adjustment service checks who they are; the dialog only collects the credentials."""

    sig_decided = Signal(object)  # AdjustmentOutcome

    def __init__(self, context: ScreenContext, request_id: int, summary: str, approvals_needed: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("SupervisorApprovalDialog")
        self.request_id = int(request_id)
        self.operation_id = self._services.adjustments.new_operation_id()
        self.progress = named(QLabel(), "FieldValue")
        self.progress.setWordWrap(True)
        self.progress.setVisible(approvals_needed > 1)
        self.progress.setText(self.tr("This request needs two different supervisors."))
        self.note = named(QLineEdit(), "Note")
        self.note.setPlaceholderText(self.tr("required to reject"))
        self.build(
            title=self.tr("Supervisor approval"),
            summary=summary,
            intro=self.tr("A supervisor of this branch or of head office signs in with their own username and password. "
                          "The officer who made the request cannot approve it."),
            above_form=(self.progress,),
            more_rows=((self.tr("&Note"), self.note),),
        )
        [self.reject_button] = self.approval_buttons(self.tr("Approve"), self.approve, (self.tr("Reject"), self.reject_request),
                                                     close_text=self.tr("Close"))

    def _credentials(self) -> dict[str, Any] | None:
        entered = self.entered()
        if entered is None:
            self.show_refusal(self.tr("Enter the supervisor's username and password."))
            return None
        return {"approver_username": entered[0], "approver_password": entered[1]}

    def busy_widgets(self) -> tuple[QWidget, ...]:
        return self.approve_button, self.reject_button

    def approve(self) -> None:
        credentials = self._credentials()
        if credentials is None or self.busy:
            return
        self.set_busy(True)
        self.write(
            self._services.adjustments.approve, operation_id=self.operation_id, request_id=self.request_id,
            note=self.note.text().strip(), on_result=self._decided, on_error=self.refused, **credentials,
        )

    def reject_request(self) -> None:
        if self.busy:
            return
        missing = []
        if self.entered() is None:
            missing.append(self.tr("Enter the supervisor's username and password."))
        if not self.note.text().strip():
            missing.append(self.tr("Give a note saying why the request is rejected."))
        if missing:  # everything that is missing at once
            self.show_refusal(" ".join(missing))
            (self.username if self.entered() is None and not self.username.text().strip() else
             self.password if self.entered() is None else self.note).setFocus()
            return
        credentials = self._credentials()
        assert credentials is not None
        self.set_busy(True)
        self.write(
            self._services.adjustments.reject, operation_id=self.operation_id, request_id=self.request_id,
            note=self.note.text().strip(), on_result=self._decided, on_error=self.refused, **credentials,
        )

    def _decided(self, outcome: Any) -> None:
        self.set_busy(False)
        self.operation_id = self._services.adjustments.new_operation_id()  # a next decision is a new operation
        self.password.clear()
        self.show_refusal("")
        self.sig_decided.emit(outcome)
        if outcome.status == "pending":
            self.progress.setText(self.tr("Approval {n} of {needed} recorded. A second, different supervisor signs in now.").format(
                n=outcome.approvals, needed=outcome.approvals_needed))
            self.progress.show()
            self.username.clear()
            self.note.clear()
            self.username.setFocus()
            return
        self.accept()
