"""Member maintenance on the member view: the Freeze…/Unfreeze…, Change mobile…, Change address… and
Change card… buttons, their
dialogs, and the banner that says a member is frozen and why. Every field is checked as it is typed
(``MemberCareService.form_problems``) and refused at the field naming the rule; the write runs on the
task runner's write thread with the operation id made when the dialog opens."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QWidget,
)

from loyalty_desk import messages
from loyalty_desk.domain.errors import DomainError
from loyalty_desk.domain.identity import ADDRESS_MAX_LENGTH
from loyalty_desk.services.members.dto import MemberView
from loyalty_desk.translatable import QT_TRANSLATE_NOOP
from loyalty_desk.ui import fmt
from loyalty_desk.ui.errors import error_message
from loyalty_desk.ui.icons import icon
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.screens.member.care_dialog import CareDialog
from loyalty_desk.ui.widgets import CountedLineEdit, add_all, named, push_button, set_texts

CARE_ROLES = ("officer", "supervisor")
FREEZE_SHORTCUT, MOBILE_SHORTCUT = "Ctrl+Shift+F", "Ctrl+Shift+M"
ADDRESS_SHORTCUT, CARD_SHORTCUT = "Ctrl+Shift+A", "Ctrl+Shift+C"
PREFERENCES_SHORTCUT = "Ctrl+Shift+E"

_CONTEXT = "MemberCare"
CLOSE_SHORTCUT = "Ctrl+Shift+X"
CLOSED_LINE = QT_TRANSLATE_NOOP("MemberCare", "This account is closed: no redemption, referral or earning.")
FROZEN_LINE = QT_TRANSLATE_NOOP(
    "MemberCare", "Frozen: {reason}. No redemption, referral or credit until a supervisor lifts the freeze. {note} ({who}, {when})")


def _words(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def frozen_text(view: MemberView) -> str:
    """The frozen (or closed) member's banner line, in the desk's language (empty when the member is neither)."""
    if view.status == "closed":
        return _words(CLOSED_LINE)
    freeze = view.freeze
    if freeze is None:
        return ""
    return _words(FROZEN_LINE).format(reason=fmt.freeze_reason(freeze.reason), note=freeze.note, who=freeze.frozen_by or "–",
                                   when=fmt.datetime_utc(freeze.frozen_at) if freeze.frozen_at else "–")


def frozen_refusal(view: MemberView, action: str) -> str:
    """What the counter says when Redeem or Refer is pressed for a frozen or closed member (the service would refuse it)."""
    if view.status == "closed":
        return error_message(DomainError("member.account_closed", member_no=view.member_no, action=action))
    reason = view.freeze.reason if view.freeze else ""
    return error_message(DomainError("member.frozen", member_no=view.member_no, freeze_reason=reason, action=action))


class CareActions(QWidget):
    """The member view's maintenance buttons (an action group of their own): Freeze…, or Unfreeze… for
    a frozen member, and Change mobile…; each with its shortcut, so Help ▸ Keyboard shortcuts lists it."""

    sig_changed = Signal(str, object)  # the dialog's kind (freeze, unfreeze, mobile, address, card) and its MemberCareOutcome, after a write
    sig_refused = Signal(str)  # what could not go ahead, in words, for the screen's banner

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.view: MemberView | None = None
        self.dialog: CareDialog | None = None
        self.freeze_button = push_button(icon("lock"), self.ask_freeze, shortcut=FREEZE_SHORTCUT, name="FreezeButton")
        # Change mobile…, Change address… and Change card… under one button (three would not fit 1024 px beside
        # the title); each action is also the widget's own, so its shortcut works while the menu is closed
        self.mobile_action = self._action(MOBILE_SHORTCUT, self.ask_mobile)
        self.address_action = self._action(ADDRESS_SHORTCUT, self.ask_address)
        self.card_action = self._action(CARD_SHORTCUT, self.ask_card)
        self.preferences_action = self._action(PREFERENCES_SHORTCUT, self.ask_preferences)
        self.close_action = self._action(CLOSE_SHORTCUT, self.ask_close)
        self.details_menu = QMenu(self)
        self.details_menu.addActions([self.mobile_action, self.address_action, self.card_action, self.preferences_action])
        self.details_menu.addSeparator()
        self.details_menu.addAction(self.close_action)
        self.details_button = push_button(icon("user"), name="ChangeDetailsButton")
        self.details_button.setMenu(self.details_menu)
        box = add_all(QHBoxLayout(self), self.freeze_button, self.details_button)
        box.setContentsMargins(0, 0, 0, 0)
        self.setVisible(context.session.role in CARE_ROLES)
        self.show_member(None)

    def _action(self, keys: str, slot: Any) -> QAction:
        action = QAction(self)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def show_member(self, view: MemberView | None) -> None:
        self.view = view
        open_account = view is not None and view.status != "closed"
        for widget in (self.freeze_button, self.details_button, self.mobile_action, self.address_action, self.card_action, self.preferences_action,
                       self.close_action):
            widget.setEnabled(open_account)
        self.retranslate()

    def retranslate(self) -> None:
        frozen = self.view is not None and self.view.status == "frozen"
        if frozen:
            freeze_text = QCoreApplication.translate("MemberCare", "Unfreeze…")
            freeze_tip = QCoreApplication.translate("MemberCare", "Lift the freeze, with a note; a supervisor only ({key})")
        else:
            freeze_text = QCoreApplication.translate("MemberCare", "Freeze…")
            freeze_tip = QCoreApplication.translate(
                "MemberCare", "Freeze the member: no redemption, referral or credit until a supervisor lifts it ({key})")
        mobile_tip = QCoreApplication.translate("MemberCare", "Change the member's mobile; the old one stays in the audit trail ({key})")
        address_tip = QCoreApplication.translate("MemberCare", "Change the member's address; the old one stays in the audit trail ({key})")
        card_tip = QCoreApplication.translate("MemberCare", "Change the member's card, e.g. after a loss; the old one stays in the audit trail ({key})")
        set_texts(
            (self.freeze_button, freeze_text, freeze_tip.format(key=FREEZE_SHORTCUT)),
            (self.details_button, QCoreApplication.translate("MemberCare", "Change details"),
             QCoreApplication.translate("MemberCare", "Change the member's mobile, address or card, or close the account")),
        )
        self.close_action.setText(QCoreApplication.translate("MemberCare", "Close account…"))
        self.close_action.setToolTip(QCoreApplication.translate(
            "MemberCare", "Close the account: its points go to a closing redemption or are forfeited with a second supervisor's approval ({key})"
        ).format(key=CLOSE_SHORTCUT))
        for action, text, tip, keys in ((self.mobile_action, QCoreApplication.translate("MemberCare", "Change mobile…"), mobile_tip, MOBILE_SHORTCUT),
                                        (self.address_action, QCoreApplication.translate("MemberCare", "Change address…"), address_tip, ADDRESS_SHORTCUT),
                                        (self.card_action, QCoreApplication.translate("MemberCare", "Change card…"), card_tip, CARD_SHORTCUT)):
            action.setText(text)
            action.setToolTip(tip.format(key=keys))
        self.preferences_action.setText(QCoreApplication.translate("MemberCare", "Message preferences…"))
        self.preferences_action.setToolTip(QCoreApplication.translate(
            "MemberCare", "The language of the member's marketing messages and their opt-out ({key})").format(key=PREFERENCES_SHORTCUT))
        self.freeze_button.setIcon(icon("unlock" if frozen else "lock"))

    def ask_freeze(self) -> None:
        view = self.view
        if view is None or self.dialog is not None:
            return
        if view.status == "frozen" and self._context.session.role != "supervisor":
            self.sig_refused.emit(error_message(DomainError("auth.forbidden", action="lift a member's freeze")))
            return
        self._open(UnfreezeDialog(self._context, view, self) if view.status == "frozen" else FreezeDialog(self._context, view, self))

    def ask_mobile(self) -> None:
        self._ask(MobileDialog)

    def ask_address(self) -> None:
        self._ask(AddressDialog)

    def ask_card(self) -> None:
        self._ask(CardDialog)

    def ask_preferences(self) -> None:
        from loyalty_desk.ui.screens.member.preferences import PreferencesDialog

        self._ask(PreferencesDialog)

    def ask_close(self) -> None:
        from loyalty_desk.ui.screens.member.closing import CloseDialog

        self._ask(CloseDialog)

    def _ask(self, dialog_class: type[CareDialog]) -> None:
        """Opens a ``dialog_class`` for the member on show, unless there is none or a dialog is open already."""
        if self.view is not None and self.dialog is None:
            self._open(dialog_class(self._context, self.view, self))

    def _open(self, dialog: CareDialog) -> None:
        self.dialog = dialog
        dialog.sig_done.connect(lambda outcome: self.sig_changed.emit(dialog.kind, outcome))

        def finished(_code: int) -> None:
            self.dialog = None
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

class FreezeDialog(CareDialog):
    """Why (a reason from the list) and a note; an officer or a supervisor."""

    kind = "freeze"

    def __init__(self, context: ScreenContext, view: MemberView, parent: QWidget | None = None) -> None:
        super().__init__(context, view, parent)
        self.present("FreezeDialog", QCoreApplication.translate("MemberCare", "Freeze member"),
                     QCoreApplication.translate("MemberCare", "What happened, and who reported it"), QCoreApplication.translate("MemberCare", "Freeze"))
        self.reason = named(QComboBox(), "FreezeReason")
        self.reason.addItem(QCoreApplication.translate("MemberCare", "Choose a reason…"), "")
        for code in messages.FREEZE_REASONS:
            self.reason.addItem(fmt.freeze_reason(code), code)
        self.add_row(QCoreApplication.translate("MemberCare", "&Reason"), self.reason, "reason")
        self.reason.currentIndexChanged.connect(lambda: self.changed("reason"))
        hint = named(QLabel(QCoreApplication.translate("MemberCare", "While frozen the member keeps their points but cannot redeem, refer or receive credits. "
                                "Only a supervisor can lift the freeze.")), "Muted")
        hint.setWordWrap(True)
        self.finish_layout(hint)

    def values(self) -> dict[str, Any]:
        return {"reason": self.reason.currentData() or "", **super().values()}

    def save_call(self) -> Any:
        return self._services.member_care.freeze


class UnfreezeDialog(CareDialog):
    """A supervisor lifts the freeze with a note."""

    kind = "unfreeze"

    def __init__(self, context: ScreenContext, view: MemberView, parent: QWidget | None = None) -> None:
        super().__init__(context, view, parent)
        self.present("UnfreezeDialog", QCoreApplication.translate("MemberCare", "Lift the freeze"),
                     QCoreApplication.translate("MemberCare", "What was checked before lifting it"), QCoreApplication.translate("MemberCare", "Unfreeze"))
        current = named(QLabel(frozen_text(view)), "Muted")
        current.setWordWrap(True)
        self.finish_layout(current)

    def save_call(self) -> Any:
        return self._services.member_care.unfreeze


class DetailDialog(CareDialog):
    """A change of one of the member's details: the new value, checked as the member import checks it, and a note."""

    field = ""  # the detail's name in the form, its problems and the service's arguments

    def add_detail(self, text: str, edit: QLineEdit, shown: QWidget | None = None) -> None:
        """The new value's row (``shown``: the widget that holds ``edit``, when it is not the edit itself), then the note."""
        self.detail = edit
        self.add_row(text, shown or edit, self.field)
        edit.textChanged.connect(lambda: self.changed(self.field))
        self.finish_layout()

    def values(self) -> dict[str, Any]:
        return {self.field: self.detail.text(), **super().values()}


class MobileDialog(DetailDialog):
    """The new mobile, checked as the member import checks it, and a note."""

    kind = field = "mobile"

    def __init__(self, context: ScreenContext, view: MemberView, parent: QWidget | None = None) -> None:
        super().__init__(context, view, parent)
        self.present("MobileDialog", QCoreApplication.translate("MemberCare", "Change mobile"),
                     QCoreApplication.translate("MemberCare", "e.g. the change form the member signed"))
        self.member_line.setText(QCoreApplication.translate("MemberCare", "{name} · {member_no} · mobile now {mobile}").format(
            name=view.masked_name, member_no=view.member_no, mobile=view.masked_mobile))
        self.mobile = named(QLineEdit(), "Mobile")
        self.mobile.setPlaceholderText(QCoreApplication.translate("MemberCare", "11 digits starting with 1"))
        self.add_detail(QCoreApplication.translate("MemberCare", "New &mobile"), self.mobile)

    def save_call(self) -> Any:
        return self._services.member_care.change_mobile


class AddressDialog(DetailDialog):
    """The new postal address, checked as the member import checks it, and a note."""

    kind = field = "address"

    def __init__(self, context: ScreenContext, view: MemberView, parent: QWidget | None = None) -> None:
        super().__init__(context, view, parent)
        self.present("AddressDialog", QCoreApplication.translate("MemberCare", "Change address"),
                     QCoreApplication.translate("MemberCare", "e.g. the change form the member signed"))
        self.address = named(CountedLineEdit(ADDRESS_MAX_LENGTH), "Address")
        self.address.setPlaceholderText(QCoreApplication.translate("MemberCare", "The full postal address"))
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        add_all(row, (self.address, 1), self.address.counter)
        self.add_detail(QCoreApplication.translate("MemberCare", "New &address"), self.address, holder)

    def save_call(self) -> Any:
        return self._services.member_care.change_address


class CardDialog(DetailDialog):
    """The new card number (16 digits, Luhn-valid, no other member's) and why the card changes."""

    kind, field = "card", "card_no"

    def __init__(self, context: ScreenContext, view: MemberView, parent: QWidget | None = None) -> None:
        super().__init__(context, view, parent)
        self.present("CardDialog", QCoreApplication.translate("MemberCare", "Change card"),
                     QCoreApplication.translate("MemberCare", "Why: e.g. card reported lost, renewal"))
        self.member_line.setText(QCoreApplication.translate("MemberCare", "{name} · {member_no} · card now {card}").format(
            name=view.masked_name, member_no=view.member_no, card=view.masked_card or QCoreApplication.translate("MemberCare", "none")))
        self.card_no = named(QLineEdit(), "CardNo")
        self.card_no.setMaxLength(19)
        self.card_no.setPlaceholderText(QCoreApplication.translate("MemberCare", "16 digits"))
        self.add_detail(QCoreApplication.translate("MemberCare", "New &card"), self.card_no)

    def save_call(self) -> Any:
        return self._services.member_care.change_card
