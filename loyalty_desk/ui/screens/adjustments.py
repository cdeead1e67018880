"""Manual adjustments on the desk: the request dialog (from the member view), the
"Supervisor approval" dialog (a supervisor signs in with their own credentials at the maker's
desk), the member view's pending-requests panel, and the supervisors' approvals queue.

The screens only collect input and show outcomes: the adjustment service checks every rule
(limits, roles, supervisor of the branch, not the maker, active). Limits are checked as the
officer types with the same domain rules the service applies.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from loyalty_desk.domain.adjustments import POINTS_MAX
from loyalty_desk.ui import fmt
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.icons import icon
from loyalty_desk.ui.models import ROW_ROLE, _RowsModel
from loyalty_desk.ui.screens.base import Screen, ScreenDialog, ScreenWork, page_layout
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.widgets import NumberField, SupervisorSignInDialog, field_error, record_table, show_field_error

CONTEXT = "Adjustments"
BADGE_REFRESH_MS = 60_000

REASONS = {
    "MISSING_POINTS": QT_TRANSLATE_NOOP("Adjustments", "Missing points"),
    "SERVICE_RECOVERY": QT_TRANSLATE_NOOP("Adjustments", "Service recovery"),
    "CORRECTION": QT_TRANSLATE_NOOP("Adjustments", "Correction"),
    "GOODWILL": QT_TRANSLATE_NOOP("Adjustments", "Goodwill"),
    "FRAUD_REVERSAL": QT_TRANSLATE_NOOP("Adjustments", "Fraud reversal"),
}
EVIDENCE = {
    "MISSING_POINTS": QT_TRANSLATE_NOOP("Adjustments", "Transaction reference"),
    "SERVICE_RECOVERY": QT_TRANSLATE_NOOP("Adjustments", "Complaint ticket"),
    "CORRECTION": QT_TRANSLATE_NOOP("Adjustments", "Ledger entry"),
}
DIRECTIONS = {
    "credit": QT_TRANSLATE_NOOP("Adjustments", "Credit (add points)"),
    "debit": QT_TRANSLATE_NOOP("Adjustments", "Debit (take points)"),
}
STATUSES = {
    "pending": QT_TRANSLATE_NOOP("Adjustments", "Pending approval"),
    "approved": QT_TRANSLATE_NOOP("Adjustments", "Approved"),
    "rejected": QT_TRANSLATE_NOOP("Adjustments", "Rejected"),
    "cancelled": QT_TRANSLATE_NOOP("Adjustments", "Cancelled"),
    "expired": QT_TRANSLATE_NOOP("Adjustments", "Expired"),
}
FORM_FIELDS = ("direction", "points", "reason_code", "memo", "evidence_ref")


def _t(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def reason_label(code: str) -> str:
    return _t(REASONS[code]) if code in REASONS else code


def status_label(code: str) -> str:
    return _t(STATUSES[code]) if code in STATUSES else code


def age_text(minutes: int) -> str:
    if minutes < 60:
        return QCoreApplication.translate("Adjustments", "{n} min").format(n=minutes)
    if minutes < 48 * 60:
        return QCoreApplication.translate("Adjustments", "{h} h {m} min").format(h=minutes // 60, m=minutes % 60)
    return QCoreApplication.translate("Adjustments", "{d} d {h} h").format(d=minutes // (24 * 60), h=minutes // 60 % 24)




class AdjustmentsModel(_RowsModel):
    """Rows of ``AdjustmentView``."""

    numeric_columns = frozenset({0, 3})

    def headers(self) -> list[str]:
        return [self.tr("No."), self.tr("Member"), self.tr("Maker"), self.tr("Points"), self.tr("Reason"), self.tr("Evidence"),
                self.tr("Age"), self.tr("Approvals"), self.tr("Status"), self.tr("Memo")]

    def cell(self, row: Any, column: int) -> str:
        values = [
            str(row.request_id),
            f"{row.member_no} {row.masked_name}",
            f"{row.maker_name} ({row.maker_username})",
            fmt.signed(row.signed_points),
            reason_label(row.reason_code),
            row.evidence_ref or "–",
            age_text(row.age_minutes),
            f"{row.approvals}/{row.approvals_needed}",
            status_label(row.status),
            row.memo,
        ]
        return values[column]


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

        heading = QLabel(self.tr("Manual adjustment"), objectName="DialogTitle")
        self.member_line = QLabel()
        self.member_line.setWordWrap(True)
        self.direction = QComboBox(objectName="Direction")
        for key in DIRECTIONS:
            self.direction.addItem(_t(DIRECTIONS[key]), key)
        self.points = NumberField(1, POINTS_MAX, objectName="Points")
        self.reason = QComboBox(objectName="Reason")
        self.reason.addItem(self.tr("Choose a reason…"), "")
        for key in REASONS:
            self.reason.addItem(reason_label(key), key)
        self.memo = QPlainTextEdit(objectName="Memo")
        self.memo.setTabChangesFocus(True)
        self.memo.setFixedHeight(72)
        self.memo.setPlaceholderText(self.tr("What happened, and why the points should change"))
        self.evidence = QLineEdit(objectName="Evidence")
        self.errors = {name: field_error(widget) for name, widget in (
            ("direction", self.direction), ("points", self.points), ("reason_code", self.reason), ("memo", self.memo),
            ("evidence_ref", self.evidence))}
        self.hint = QLabel(objectName="Muted")
        self.hint.setWordWrap(True)

        form = QFormLayout()
        form.setVerticalSpacing(4)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)

        def row(text: str, widget: QWidget, name: str) -> QLabel:
            label = QLabel(text)
            label.setBuddy(widget)
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 4)
            box.setSpacing(2)
            box.addWidget(widget)
            box.addWidget(self.errors[name])
            form.addRow(label, holder)
            return label

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

        form_page = QWidget()
        form_box = QVBoxLayout(form_page)
        form_box.setContentsMargins(0, 0, 0, 0)
        form_box.addWidget(self.member_line)
        form_box.addLayout(form)
        form_box.addWidget(self.hint)
        form_box.addWidget(self.banner)
        form_box.addWidget(self.buttons)

        # page 2: filed
        self.done_text = QLabel(objectName="FieldValue")
        self.done_text.setWordWrap(True)
        self.done_hint = QLabel(objectName="Muted")
        self.done_hint.setWordWrap(True)
        self.approve_button = QPushButton(icon("approvals"), self.tr("Supervisor approval…"))
        self.approve_button.setObjectName("Primary")
        self.approve_button.setToolTip(self.tr("A supervisor signs in here with their own credentials to approve now"))
        self.approve_button.clicked.connect(self.ask_approval)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.accept)
        done_buttons = QHBoxLayout()
        done_buttons.addStretch(1)
        done_buttons.addWidget(self.approve_button)
        done_buttons.addWidget(self.close_button)
        done_page = QWidget()
        done_box = QVBoxLayout(done_page)
        done_box.setContentsMargins(0, 0, 0, 0)
        done_box.addWidget(self.done_text)
        done_box.addWidget(self.done_hint)
        done_box.addStretch(1)
        done_box.addLayout(done_buttons)

        self.pages = QStackedWidget()
        self.pages.addWidget(form_page)
        self.pages.addWidget(done_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 18)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(self.pages)

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
                id=outcome.request_id, points=fmt.signed(int(self.points.value()) * (-1 if self.direction.currentData() == "debit" else 1)),
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
            points=fmt.signed(int(self.points.value()) * (-1 if self.direction.currentData() == "debit" else 1)),
            member=f"{self.view.masked_name} {self.view.member_no}", reason=reason_label(self.reason.currentData()),
            maker=self._context.session.display_name,
        )
        dialog = SupervisorApprovalDialog(self._context, self.outcome.request_id, summary, self.outcome.approvals_needed, self)
        self.approval_dialog = dialog
        dialog.sig_decided.connect(self._decided)
        dialog.finished.connect(lambda _code: self._approval_closed(dialog))
        dialog.open()

    def _approval_closed(self, dialog: SupervisorApprovalDialog) -> None:
        self.approval_dialog = None
        dialog.deleteLater()

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


class SupervisorApprovalDialog(SupervisorSignInDialog, ScreenWork):
    """A supervisor signs in with their own credentials to approve or reject a request at this desk.
    The adjustment service checks who they are; the dialog only collects the credentials."""

    sig_decided = Signal(object)  # AdjustmentOutcome
    sig_failed = Signal(object)

    def __init__(self, context: ScreenContext, request_id: int, summary: str, approvals_needed: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SupervisorApprovalDialog")
        self._init_work(context)
        self.request_id = int(request_id)
        self.operation_id = self._services.adjustments.new_operation_id()
        self.progress = QLabel(objectName="FieldValue")
        self.progress.setWordWrap(True)
        self.progress.setVisible(approvals_needed > 1)
        self.progress.setText(self.tr("This request needs two different supervisors."))
        self.note = QLineEdit(objectName="Note")
        self.note.setPlaceholderText(self.tr("required to reject"))
        self.build(
            title=self.tr("Supervisor approval"),
            summary=summary,
            intro=self.tr("A supervisor of this branch or of head office signs in with their own username and password. "
                          "The officer who made the request cannot approve it."),
            above_form=(self.progress,),
            more_rows=((self.tr("&Note"), self.note),),
        )
        self.approve_button = self.buttons.addButton(self.tr("Approve"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.reject_button = self.buttons.addButton(self.tr("Reject"), QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button = self.buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        self.approve_button.setDefault(True)
        self.approve_button.clicked.connect(self.approve)
        self.reject_button.clicked.connect(self.reject_request)
        self.cancel_button.clicked.connect(self.reject)

    def _credentials(self) -> dict[str, Any] | None:
        entered = self.entered()
        if entered is None:
            self.show_error(self.tr("Enter the supervisor's username and password."))
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
            note=self.note.text().strip(), on_result=self._decided, on_error=self._failed, **credentials,
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
            self.show_error(" ".join(missing))
            (self.username if self.entered() is None and not self.username.text().strip() else
             self.password if self.entered() is None else self.note).setFocus()
            return
        credentials = self._credentials()
        assert credentials is not None
        self.set_busy(True)
        self.write(
            self._services.adjustments.reject, operation_id=self.operation_id, request_id=self.request_id,
            note=self.note.text().strip(), on_result=self._decided, on_error=self._failed, **credentials,
        )

    def _decided(self, outcome: Any) -> None:
        self.set_busy(False)
        self.operation_id = self._services.adjustments.new_operation_id()  # a next decision is a new operation
        self.password.clear()
        self.show_error("")
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

    def _failed(self, error: BaseException) -> None:
        self.set_busy(False)
        self.password.clear()
        self.password.setFocus()
        self.show_error(error_message(error))
        self.sig_failed.emit(error)


# ---------------------------------------------------------------------------- on the member view


class PendingAdjustmentsPanel(Screen):
    """The member's pending requests, with "Supervisor approval…" and the maker's "Cancel request"."""

    sig_loaded = Signal(object)  # tuple[AdjustmentView, ...]
    sig_changed = Signal()  # a request was decided or cancelled: balances changed
    sig_count = Signal(int)
    sig_request = Signal()  # "Request adjustment…": the member view opens the request dialog

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.member_no: str | None = None
        self.rows: tuple[Any, ...] = ()
        self.approval_dialog: SupervisorApprovalDialog | None = None
        self.model = AdjustmentsModel(self)
        self.table = record_table()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.hideColumn(1)
        self.empty = QLabel(objectName="Muted")
        self.approve_button = QPushButton(icon("approvals"), "")
        self.cancel_button = QPushButton("")
        self.request_button = QPushButton(icon("adjust"), "")
        self.request_button.setObjectName("AdjustButton")
        self.request_button.clicked.connect(self.sig_request)
        self.approve_button.clicked.connect(self.ask_approval)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.request_button)
        buttons.addWidget(self.empty, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.approve_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(10, 10, 10, 10)
        box.addWidget(self.banner)
        box.addWidget(self.table, 1)
        box.addLayout(buttons)
        self.retranslate()
        self._selection_changed()

    def retranslate(self) -> None:
        self.approve_button.setText(self.tr("Supervisor approval…"))
        self.approve_button.setToolTip(self.tr("A supervisor signs in here to approve or reject the selected request"))
        self.request_button.setText(self.tr("Request adjustment…"))
        self.request_button.setToolTip(self.tr("Request a manual credit or debit; a supervisor approves it (F7)"))
        self.cancel_button.setText(self.tr("Cancel request"))
        self.cancel_button.setToolTip(self.tr("Withdraw your own pending request"))
        self.model.retranslate()

    def load(self, member_no: str | None) -> None:
        self.member_no = member_no
        request = self.supersede("load")
        if member_no is None:
            self._show(request, ())
            return
        self.run(self._services.adjustments.for_member, member_no=member_no,
                 on_result=lambda rows: self._show(request, rows),
                 on_error=self.show_error)

    def _show(self, request: int, rows: Any) -> None:
        if not self.is_latest("load", request):
            return
        self.rows = tuple(rows)
        self.model.set_rows(self.rows)
        self.empty.setText(self.tr("No pending requests.") if not self.rows else self.tr("%Ln pending request(s)", "", len(self.rows)))
        if self.rows:
            self.table.selectRow(0)
        self._selection_changed()
        self.sig_count.emit(len(self.rows))
        self.sig_loaded.emit(self.rows)

    def selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return self.model.data(rows[0], ROW_ROLE) if rows else None

    def _selection_changed(self, *_: object) -> None:
        row = self.selected()
        self.approve_button.setEnabled(row is not None)
        self.cancel_button.setEnabled(row is not None and row.maker_username == self._context.session.username)

    def ask_approval(self) -> None:
        row = self.selected()
        if row is None or self.approval_dialog is not None:
            return
        summary = self.tr("Request no. {id}: {points} points for {member} ({reason}), made by {maker}.").format(
            id=row.request_id, points=fmt.signed(row.signed_points), member=f"{row.masked_name} {row.member_no}",
            reason=reason_label(row.reason_code), maker=row.maker_name)
        dialog = SupervisorApprovalDialog(self._context, row.request_id, summary, row.approvals_needed, self)
        self.approval_dialog = dialog
        dialog.sig_decided.connect(lambda _outcome: (self.load(self.member_no), self.sig_changed.emit()))
        dialog.finished.connect(lambda _code: self._dialog_closed(dialog))
        dialog.open()

    def _dialog_closed(self, dialog: SupervisorApprovalDialog) -> None:
        self.approval_dialog = None
        dialog.deleteLater()

    def cancel_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        self.write(
            self._services.adjustments.cancel, operation_id=self._services.adjustments.new_operation_id(),
            session=self._context.session, request_id=row.request_id,
            on_result=lambda _outcome: (self.set_banner(self.tr("Request no. {id} cancelled.").format(id=row.request_id)),
                                        self.load(self.member_no), self.sig_changed.emit()),
            on_error=self.show_error,
        )


# ---------------------------------------------------------------------------- the approvals queue


class ApprovalsScreen(Screen):
    """Pending requests of the branch (head office: every branch) with filters and sorting;
    approve or reject the selected one with a note. Emits the pending count for the navigation badge."""

    sig_loaded = Signal(object)  # tuple[AdjustmentView, ...]
    sig_decided = Signal(object)  # AdjustmentOutcome
    sig_badge = Signal(int)
    sig_open_member = Signal(str)

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.rows: tuple[Any, ...] = ()
        self.title_bar()
        self.subtitle = QLabel(objectName="Muted")
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addSpacing(12)
        top.addWidget(self.subtitle, 1)
        top.addWidget(self.refresh_button)

        self.status_filter = QComboBox(objectName="StatusFilter")
        self.reason_filter = QComboBox(objectName="ReasonFilter")
        self.direction_filter = QComboBox(objectName="DirectionFilter")
        self.member_filter = QLineEdit(objectName="MemberFilter")
        self.member_filter.setMaxLength(11)
        self.member_filter.setClearButtonEnabled(True)
        self.sort = QComboBox(objectName="Sort")
        self.filter_labels = [QLabel() for _ in range(5)]
        # three filters a line: in one line they would push the window past a 1024 px screen
        filters = QGridLayout()
        filters.setHorizontalSpacing(8)
        filters.setVerticalSpacing(6)
        for i, (label, widget) in enumerate(zip(self.filter_labels, (self.status_filter, self.reason_filter, self.direction_filter, self.member_filter, self.sort), strict=True)):
            label.setBuddy(widget)
            filters.addWidget(label, i // 3, (i % 3) * 2)
            filters.addWidget(widget, i // 3, (i % 3) * 2 + 1)
        filters.setColumnStretch(6, 1)

        self.model = AdjustmentsModel(self)
        self.table = record_table()
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(self._open_member)

        self.detail = QFrame(objectName="Card")
        self.detail_text = QLabel()
        self.detail_text.setWordWrap(True)
        self.detail_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note_label = QLabel()
        self.note = QLineEdit(objectName="DecisionNote")
        self.note_label.setBuddy(self.note)
        self.approve_button = QPushButton(icon("approvals"), "")
        self.approve_button.setObjectName("Primary")
        self.approve_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.reject_button = QPushButton("")
        self.approve_button.clicked.connect(self.approve_selected)
        self.reject_button.clicked.connect(self.reject_selected)
        decide = QHBoxLayout()
        decide.addWidget(self.note_label)
        decide.addWidget(self.note, 1)
        decide.addWidget(self.reject_button)
        decide.addWidget(self.approve_button)
        self.note_error = field_error(self.note)
        self.note.textEdited.connect(lambda _text: show_field_error(self.note_error, ""))
        detail_box = QVBoxLayout(self.detail)
        detail_box.setContentsMargins(16, 12, 16, 12)
        detail_box.addWidget(self.detail_text)
        detail_box.addLayout(decide)
        detail_box.addWidget(self.note_error)

        layout = page_layout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)

        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.retranslate()
        for combo in (self.status_filter, self.reason_filter, self.direction_filter, self.sort):
            combo.currentIndexChanged.connect(self.refresh)
        self.member_filter.returnPressed.connect(self.refresh)
        self.member_filter.textChanged.connect(lambda text: self.refresh() if len(text) in (0, 11) else None)
        self.badge_timer = QTimer(self)
        self.badge_timer.setInterval(BADGE_REFRESH_MS)
        self.badge_timer.timeout.connect(self.refresh_badge)
        self.badge_timer.start()
        self._selection_changed()
        self.refresh()

    # ------------------------------------------------------------------ screen protocol

    def default_focus(self) -> QWidget:
        return self.table

    def on_store_changed(self) -> None:
        """A request filed, decided or expired anywhere while the queue is on show (the selection is kept)."""
        self.refresh()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Approvals queue"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("Reload the queue (F5)"))
        for label, text in zip(self.filter_labels, (self.tr("&Status"), self.tr("R&eason"), self.tr("&Direction"), self.tr("&Member"), self.tr("S&ort")), strict=True):
            label.setText(text)

        def fill(combo: QComboBox, items: list[tuple[str, Any]]) -> None:
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for text, data in items:
                combo.addItem(text, data)
            index = combo.findData(current)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

        fill(self.status_filter, [(status_label("pending"), ("pending",)),
                                  (self.tr("Decided"), ("approved", "rejected", "cancelled", "expired")),
                                  (self.tr("All"), ("pending", "approved", "rejected", "cancelled", "expired"))])
        fill(self.reason_filter, [(self.tr("All reasons"), "")] + [(reason_label(k), k) for k in REASONS])
        fill(self.direction_filter, [(self.tr("Credits and debits"), ""), (self.tr("Credits"), "credit"), (self.tr("Debits"), "debit")])
        fill(self.sort, [(self.tr("Oldest first"), ("age", True)), (self.tr("Newest first"), ("age", False)),
                         (self.tr("Most points first"), ("points", True)), (self.tr("By member"), ("member", False)),
                         (self.tr("By maker"), ("maker", False))])
        self.member_filter.setPlaceholderText(self.tr("member no."))
        self.note_label.setText(self.tr("&Note"))
        self.note.setPlaceholderText(self.tr("why (required to reject)"))
        self.approve_button.setText(self.tr("Approve"))
        self.approve_button.setToolTip(self.tr("Approve the selected request (Ctrl+Enter)"))
        self.reject_button.setText(self.tr("Reject"))
        self.model.retranslate()
        self._selection_changed()

    # ------------------------------------------------------------------ loading

    def filters(self) -> Any:
        from loyalty_desk.services.adjustments import QueueFilter

        member = self.member_filter.text().strip().upper()
        return QueueFilter(
            statuses=tuple(self.status_filter.currentData() or ("pending",)),
            reason_code=self.reason_filter.currentData() or None,
            direction=self.direction_filter.currentData() or None,
            member_no=member if len(member) == 11 else None,
        )

    def refresh(self, *_: object) -> None:
        request = self.supersede("load")
        sort, descending = self.sort.currentData() or ("age", True)
        self.run(
            self._services.adjustments.queue, session=self._context.session, filters=self.filters(), sort=sort, descending=descending,
            on_result=lambda rows: self._loaded(request, rows),
            on_error=self.report_failure,
        )
        self.refresh_badge()

    def refresh_badge(self) -> None:
        self.run(self._services.adjustments.pending_count, session=self._context.session,
                 on_result=lambda n: self.sig_badge.emit(int(n)), on_error=lambda _e: None)

    def _loaded(self, request: int, rows: Any) -> None:
        if not self.is_latest("load", request):
            return
        selected = self.selected()
        self.rows = tuple(rows)
        self.model.set_rows(self.rows)
        self.subtitle.setText(self.tr("%Ln request(s)", "", len(self.rows)))
        keep = next((i for i, r in enumerate(self.rows) if selected is not None and r.request_id == selected.request_id), 0)
        if self.rows:
            self.table.selectRow(keep)
        self._selection_changed()
        self.sig_loaded.emit(self.rows)

    def selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return self.model.data(rows[0], ROW_ROLE) if rows else None

    def select_request(self, request_id: int) -> bool:
        for number, row in enumerate(self.rows):
            if row.request_id == request_id:
                self.table.selectRow(number)
                return True
        return False

    def _selection_changed(self, *_: object) -> None:
        row = self.selected()
        pending = row is not None and row.status == "pending"
        own = row is not None and row.maker_username == self._context.session.username
        self.approve_button.setEnabled(pending and not own)
        self.reject_button.setEnabled(pending and not own)
        self.note.setEnabled(pending and not own)
        if row is None:
            self.detail_text.setText(self.tr("Select a request to see its details."))
            return
        lines = [
            self.tr("<b>No. {id}</b> · {status} · {member} · branch {branch}").format(
                id=row.request_id, status=status_label(row.status), member=f"{row.masked_name} {row.member_no}", branch=row.branch_code),
            self.tr("{points} points · {reason} · evidence {evidence} · made by {maker} {age} ago").format(
                points=fmt.signed(row.signed_points), reason=reason_label(row.reason_code), evidence=row.evidence_ref or "–",
                maker=f"{row.maker_name} ({row.maker_username})", age=age_text(row.age_minutes)),
            self.tr("Memo: {memo}").format(memo=row.memo.replace("<", "&lt;")),
            self.tr("Approvals {n} of {needed}{who}").format(n=row.approvals, needed=row.approvals_needed,
                                                              who=(" (" + ", ".join(row.approvers) + ")") if row.approvers else ""),
        ]
        if own and pending:
            lines.append(self.tr("<i>You made this request: another supervisor must decide it.</i>"))
        if row.decision_note:
            lines.append(self.tr("Decision note: {note}").format(note=row.decision_note.replace("<", "&lt;")))
        self.detail_text.setText("<br>".join(lines))

    def _open_member(self, index: Any) -> None:
        row = self.model.data(index, ROW_ROLE)
        if row is not None:
            self.sig_open_member.emit(row.member_no)

    # ------------------------------------------------------------------ deciding

    def approve_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        self._decide(self._services.adjustments.approve, row, note=self.note.text().strip())

    def reject_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        if not self.note.text().strip():
            show_field_error(self.note_error, self.tr("Give a note saying why the request is rejected."))
            self.note.setFocus()
            return
        self._decide(self._services.adjustments.reject, row, note=self.note.text().strip())

    def _decide(self, fn: Any, row: Any, *, note: str) -> None:
        self.approve_button.setEnabled(False)
        self.reject_button.setEnabled(False)
        self.write(
            fn, operation_id=self._services.adjustments.new_operation_id(), request_id=row.request_id,
            session=self._context.session, note=note, on_result=self._decided, on_error=self._failed,
        )

    def _decided(self, outcome: Any) -> None:
        if outcome.status == "approved":
            text = self.tr("Request no. {id} approved and posted.").format(id=outcome.request_id)
        elif outcome.status == "pending":
            text = self.tr("Request no. {id}: approval {n} of {needed} recorded; a second supervisor must approve.").format(
                id=outcome.request_id, n=outcome.approvals, needed=outcome.approvals_needed)
        else:
            text = self.tr("Request no. {id} {status}.").format(id=outcome.request_id, status=status_label(outcome.status).lower())
        self.set_banner(text)
        self.note.clear()
        self.sig_decided.emit(outcome)  # the queue is read again on the store watch's word (on_store_changed)

    def _failed(self, error: BaseException) -> None:
        self.show_error(error)
        self._selection_changed()
        self.sig_failed.emit(error)
