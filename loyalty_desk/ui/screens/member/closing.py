"""Closing an account from the member view (Close account…, Ctrl+Shift+X, under Change details): an optional
closing redemption, what is left to be forfeited, read again as the choice changes, and a second
supervisor's name and password when any points are forfeited (``MemberCareService.close``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QWidget

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.services.members.dto import MemberView
from loyalty_desk.ui import fmt
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.screens.member.care_dialog import CareDialog
from loyalty_desk.ui.widgets import add_all, named, show_field_error


class CloseDialog(CareDialog):
    """Closing the account: an optional closing redemption (a reward and how many), what is left to be
    forfeited, read again as the choice changes, and, when any points are forfeited, a second
    supervisor's name and password (never the person closing it); a note."""

    kind = "close"
    sig_previewed = Signal(object)  # ClosingPreview, shown

    def __init__(self, context: ScreenContext, view: MemberView, parent: QWidget | None = None) -> None:
        super().__init__(context, view, parent)
        self.preview: Any = None
        self.present("CloseDialog", QCoreApplication.translate("MemberCare", "Close account"),
                     QCoreApplication.translate("MemberCare", "Why the account closes, e.g. the member's signed request"))
        self.reward = named(QComboBox(), "ClosingReward")
        self.reward.addItem(QCoreApplication.translate("MemberCare", "No closing redemption"), "")
        self.qty = named(QSpinBox(), "ClosingQty")
        self.qty.setRange(1, 99)
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        add_all(row, (self.reward, 1), self.qty)
        self.add_row(QCoreApplication.translate("MemberCare", "Closing &redemption"), holder, "reward_code")
        self.plan_line = named(QLabel(), "FieldValue")
        self.plan_line.setWordWrap(True)
        self.approver = named(QLineEdit(), "ApproverName")
        self.approver.setPlaceholderText(QCoreApplication.translate("MemberCare", "A second supervisor, not you"))
        self.approver_password = named(QLineEdit(), "ApproverPassword")
        self.approver_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_row(QCoreApplication.translate("MemberCare", "&Approved by"), self.approver, "approved_by")
        self.add_row(QCoreApplication.translate("MemberCare", "Their &password"), self.approver_password, "approver_password")
        self.finish_layout(self.plan_line)
        self.reward.currentIndexChanged.connect(lambda: self.changed("reward_code"))
        self.qty.valueChanged.connect(lambda: self.changed("reward_code"))
        self.approver.textEdited.connect(lambda: self.changed("approved_by"))
        self.approver_password.textEdited.connect(lambda: self.changed("approver_password"))
        self.run(self._services.redemption.catalogue, member_no=view.member_no, branch_code=context.session.branch_code,
                 on_result=self._offers, on_error=self.show_error)
        self.load_preview()

    def _offers(self, offers: Any) -> None:
        for offer in offers:
            if not offer.blocks:
                name = offer.name_zh if self._context.settings.language == "zh_CN" else offer.name_en
                self.reward.addItem(QCoreApplication.translate("MemberCare", "{name} · {points} points").format(
                    name=name, points=fmt.number(offer.points_cost)), offer.code)

    def load_preview(self) -> None:
        request = self.supersede("preview")
        self.run(self._services.member_care.closing_preview, member_no=self.view.member_no, reward_code=self.reward.currentData() or None,
                 qty=self.qty.value(), on_result=lambda preview: self._previewed(request, preview), on_error=self._preview_failed)

    def _previewed(self, request: int, preview: Any) -> None:
        if not self.is_latest("preview", request):
            return
        self.preview = preview
        show_field_error(self.errors["reward_code"], "")
        if preview.forfeited:
            text = QCoreApplication.translate("MemberCare", "Balance {balance} points; {redeemed} to the closing redemption; {forfeited} forfeited, "
                                              "which a second supervisor approves.")
        else:
            text = QCoreApplication.translate("MemberCare", "Balance {balance} points; {redeemed} to the closing redemption; nothing forfeited.")
        self.plan_line.setText(text.format(balance=fmt.number(preview.balance), redeemed=fmt.number(preview.redeemed),
                                           forfeited=fmt.number(preview.forfeited)))
        for widget in (self.approver, self.approver_password):
            widget.setEnabled(preview.needs_approval)
        self.check()
        self.sig_previewed.emit(preview)

    def _preview_failed(self, error: BaseException) -> None:
        self.preview = None
        show_field_error(self.errors["reward_code"], error_message(error))

    def changed(self, name: str) -> None:
        super().changed(name)
        if name == "reward_code":
            self.load_preview()

    def values(self) -> dict[str, Any]:
        return {"note": self.note.toPlainText()}

    def check(self) -> list[DomainError]:
        problems = super().check()
        extra: dict[str, DomainError] = {}
        if self.preview is not None and self.preview.needs_approval:
            if not self.approver.text().strip():
                extra["approved_by"] = DomainError("member.close_approver_required", field="approved_by", points=self.preview.forfeited)
            elif self.approver.text().strip() == self._context.session.username:
                extra["approved_by"] = DomainError("member.close_approver_same", username=self._context.session.username)
            if not self.approver_password.text():
                extra["approver_password"] = DomainError("identity.required", field="password")
        for name, problem in extra.items():
            if name in self._touched:
                show_field_error(self.errors[name], error_message(problem))
        return problems + list(extra.values())

    def submit(self) -> None:
        self._touched.update(self.errors)
        if self.preview is None or self.check():
            return
        self.save_button.setEnabled(False)
        self.write(self._services.member_care.close, operation_id=self.operation_id, session=self._context.session,
                   member_no=self.view.member_no, note=self.note.toPlainText(), reward_code=self.reward.currentData() or None,
                   qty=self.qty.value(), forfeit=self.preview.forfeited, approver_username=self.approver.text().strip() or None,
                   approver_password=self.approver_password.text() or None, on_result=self._saved, on_error=self._failed)

    def _failed(self, error: BaseException) -> None:
        self.approver_password.clear()  # a password is typed again after any refusal
        super()._failed(error)
        if isinstance(error, DomainError) and error.code.startswith(("member.close_approver", "auth.")):
            show_field_error(self.errors["approved_by"], error_message(error))
        elif isinstance(error, DomainError) and error.code == "member.close_forfeit_changed":
            self.load_preview()
