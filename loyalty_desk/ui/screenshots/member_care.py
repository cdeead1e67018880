"""Screenshots of member maintenance: the change-card, change-address, message-preferences and close-account dialogs and the
freeze dialog filled in (the card, address and closing dialogs are not saved), and the member view of a frozen member
with its banner. The first language's pass freezes the member (a demo store of its own); later passes
find it frozen and show the same view in their language. The dialog is made here rather than by the
Freeze… button, so it is drawn even where the member is frozen already."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

NOTES = {"en": "Card reported stolen by phone, new card ordered", "zh_CN": "客户来电挂失，已申请补卡"}
ADDRESS_NOTES = {"en": "Change-of-details form signed at the counter", "zh_CN": "客户在柜台签署了信息变更表"}
CLOSE_NOTES = {"en": "Member moved abroad, signed closing request", "zh_CN": "客户移居海外，已签署销户申请"}
PREFERENCE_NOTES = {"en": "Asked at the counter to stop marketing messages", "zh_CN": "客户在柜台要求不再接收营销短信"}
NEW_ADDRESS = {"en": "100 Century Avenue, Pudong, Shanghai", "zh_CN": "上海市浦东新区世纪大道100号"}


def render_member_care_screenshots(app: Any, window: Any, member_no: str, language: str, save: Callable[..., None],
                                   wait: Callable[..., Any]) -> None:
    from loyalty_desk.ui.screens.member.care import AddressDialog, CardDialog, FreezeDialog
    from loyalty_desk.ui.screens.member.closing import CloseDialog

    member = window.screens.get("member")
    if member is None:
        return
    window.navigate("member", member_no=member_no)
    wait(app, member.sig_loaded)
    card = CardDialog(member._context, member.view, member)
    card.card_no.setText("6222 0212 3456 7890")  # a digit mistyped: refused at the field by the Luhn check
    card.note.setPlainText(NOTES.get(language, NOTES["en"]))
    _shoot(window, card, "18b-change-card-dialog", save)
    address = AddressDialog(member._context, member.view, member)
    address.address.setText(NEW_ADDRESS.get(language, NEW_ADDRESS["en"]))
    address.note.setPlainText(ADDRESS_NOTES.get(language, ADDRESS_NOTES["en"]))
    _shoot(window, address, "18c-change-address-dialog", save)
    from loyalty_desk.ui.screens.member.preferences import PreferencesDialog

    preferences = PreferencesDialog(member._context, member.view, member)
    preferences.show()
    app.processEvents()
    preferences.opt_out.setChecked(True)
    preferences.note.setPlainText(PREFERENCE_NOTES.get(language, PREFERENCE_NOTES["en"]))
    _shoot(window, preferences, "18e-message-preferences-dialog", save)
    closing = CloseDialog(member._context, member.view, member)
    wait(app, closing.sig_previewed)
    closing.note.setPlainText(CLOSE_NOTES.get(language, CLOSE_NOTES["en"]))
    closing.approver.setText("sup.demo")
    _shoot(window, closing, "18d-close-account-dialog", save)
    dialog = FreezeDialog(member._context, member.view, member)
    dialog.reason.setCurrentIndex(dialog.reason.findData("lost_card"))
    dialog.note.setPlainText(NOTES.get(language, NOTES["en"]))
    dialog.show()
    save(window, "18-freeze-dialog", overlay=dialog)
    if member.view.status == "frozen":
        dialog.reject()
    else:
        dialog.save_button.click()
        wait(app, dialog.sig_done, lambda: " ".join([dialog.banner.text(), *(label.text() for label in dialog.errors.values())]))
        window.navigate("member", member_no=member_no)
        wait(app, member.sig_loaded)
    dialog.deleteLater()
    save(window, "19-member-frozen")


def _shoot(window: Any, dialog: Any, name: str, save: Callable[..., None]) -> None:
    """The dialog shown over the window and saved as ``name``, then closed unsaved."""
    dialog.show()
    save(window, name, overlay=dialog)
    dialog.reject()
    dialog.deleteLater()
