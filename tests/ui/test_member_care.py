"""Member maintenance on the member view: the Freeze…/Unfreeze… and Change mobile… dialogs driven with
the keyboard, their refusals at the field, the frozen banner, and Redeem/Refer refused at the counter."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from ui_support import type_text

from loyalty_desk.ui.shortcuts import collect_shortcuts


def _open(qtbot, window, member_no):
    screen = window.screens["member"]
    with qtbot.waitSignal(screen.sig_loaded, timeout=10_000):
        window.navigate("member", member_no=member_no)
    return screen


@pytest.fixture
def member_screen(qtbot, main_window, desk_data):
    return _open(qtbot, main_window, desk_data.zhang)


@pytest.fixture
def supervisor_window(qtbot, desk_data, runner, desk_settings):
    from loyalty_desk.ui.main_window import MainWindow
    from loyalty_desk.ui.registry import default_registry

    window = MainWindow(desk_data.services, desk_data.supervisor, runner, desk_settings, default_registry())
    qtbot.addWidget(window)
    window.show()
    window.start()
    return window


def _freeze(qtbot, screen, reason="lost_card", note="Card reported stolen by phone"):
    qtbot.keyClick(screen, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: screen.care.dialog is not None)
    dialog = screen.care.dialog
    dialog.reason.setCurrentIndex(dialog.reason.findData(reason))
    type_text(qtbot, dialog.note, note)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: screen.view is not None and screen.view.status == "frozen", timeout=10_000)
    return dialog


def test_the_freeze_dialog_refuses_at_each_field_and_writes_nothing(qtbot, member_screen, desk_data):
    screen = member_screen
    qtbot.keyClick(screen, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: screen.care.dialog is not None)
    dialog = screen.care.dialog
    assert dialog.objectName() == "FreezeDialog"
    dialog.save_button.click()
    assert dialog.errors["reason"].isVisible() and "choose one of the listed reasons" in dialog.errors["reason"].text()
    assert dialog.errors["note"].isVisible() and "is required" in dialog.errors["note"].text()
    type_text(qtbot, dialog.note, "lost")
    assert dialog.errors["note"].text() == "Note should have 5 to 500 characters, not 4."
    assert dialog.isVisible()
    assert desk_data.audit_rows("member.freeze") == []
    assert desk_data.services.members.view(member_no=desk_data.zhang).status == "active"
    dialog.reject()


def test_a_freeze_shows_the_banner_and_refuses_redeem_and_refer_at_the_counter(qtbot, main_window, desk_data):
    with desk_data.store.context.uow(write=True) as uow:
        uow.members.by_no(desk_data.zhang).referral_code = "ZW8K3M2Q"  # a referrer: Refer… is offered
        uow.commit()
    screen = _open(qtbot, main_window, desk_data.zhang)
    assert screen.refer_button.isEnabled()
    assert not screen.frozen_banner.isVisible()
    _freeze(qtbot, screen, "suspected_fraud", "Unusual redemptions at two branches")
    assert screen.view.status == "frozen"
    assert screen.frozen_banner.isVisible()
    assert "Frozen: Suspected fraud" in screen.frozen_banner.text() and "Unusual redemptions at two branches" in screen.frozen_banner.text()
    assert "The member is frozen (Suspected fraud)" in screen.banner.text()
    assert screen.care.freeze_button.text() == "Unfreeze…"
    [row] = desk_data.audit_rows("member.freeze")
    assert (row.actor, row.member_no, row.details["reason_code"]) == ("officer1", desk_data.zhang, "suspected_fraud")

    screen.redeem_button.click()
    assert screen.isVisible()  # the redemption screen did not open
    assert screen.banner.text().startswith("The member is frozen (Suspected fraud): no redemption")
    screen.set_banner("", "")
    screen.refer_button.click()
    assert screen.referral_dialog is None and "The member is frozen (Suspected fraud)" in screen.banner.text()

    # an officer cannot lift it: said in the banner, no dialog
    screen.care.freeze_button.click()
    assert screen.care.dialog is None and "Your role may not lift a member's freeze." in screen.banner.text()


def test_a_supervisor_lifts_the_freeze_with_a_note(qtbot, supervisor_window, desk_data):
    screen = _open(qtbot, supervisor_window, desk_data.wang)
    _freeze(qtbot, screen)
    screen.care.freeze_button.click()
    qtbot.waitUntil(lambda: screen.care.dialog is not None)
    dialog = screen.care.dialog
    assert dialog.objectName() == "UnfreezeDialog"
    dialog.save_button.click()
    assert dialog.errors["note"].isVisible()
    type_text(qtbot, dialog.note, "New card issued, identity checked")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: screen.view is not None and screen.view.status == "active", timeout=10_000)
    assert screen.view.status == "active" and not screen.frozen_banner.isVisible()
    assert screen.care.freeze_button.text() == "Freeze…"
    assert [row.action for row in desk_data.audit_rows("member.")] == ["member.freeze", "member.unfreeze"]


def test_the_mobile_dialog_refuses_a_bad_or_taken_mobile_at_the_field_then_changes_it(qtbot, member_screen, desk_data):
    screen = member_screen
    qtbot.keyClick(screen, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: screen.care.dialog is not None)
    dialog = screen.care.dialog
    assert dialog.objectName() == "MobileDialog"
    type_text(qtbot, dialog.mobile, "1380000")
    assert "must be 11 digits starting with 1" in dialog.errors["mobile"].text()
    with desk_data.store.context.uow() as uow:
        taken = uow.members.by_no(desk_data.wang).mobile
    dialog.mobile.clear()
    type_text(qtbot, dialog.mobile, taken)
    type_text(qtbot, dialog.note, "Signed change form")
    with qtbot.waitSignal(dialog.sig_failed, timeout=10_000):
        dialog.save_button.click()
    assert f"belongs to member {desk_data.wang}" in dialog.errors["mobile"].text()
    assert dialog.isVisible() and dialog.note.toPlainText() == "Signed change form"  # the form keeps what was typed
    dialog.mobile.clear()
    type_text(qtbot, dialog.mobile, "139 1234 5678")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: screen.view is not None and screen.view.masked_mobile == "139****5678", timeout=10_000)
    assert screen.f_mobile.value.text() == "139****5678"
    assert "The mobile is now 139****5678" in screen.banner.text()
    [row] = desk_data.audit_rows("member.change_mobile")
    assert row.details["note"] == "Signed change form"


def test_the_maintenance_shortcuts_are_listed_in_help(member_screen, main_window):
    listed = {(entry.keys, entry.what) for entry in collect_shortcuts(main_window)}
    assert ("Ctrl+Shift+F", "Freeze") in listed and ("Ctrl+Shift+M", "Change mobile") in listed


def _open_care(qtbot, screen, key):
    qtbot.keyClick(screen, key, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: screen.care.dialog is not None)
    return screen.care.dialog


def test_the_address_dialog_refuses_bad_input_at_each_field_then_changes_it(qtbot, member_screen, desk_data):
    screen = member_screen
    dialog = _open_care(qtbot, screen, Qt.Key.Key_A)
    assert dialog.objectName() == "AddressDialog"
    dialog.save_button.click()
    assert "is required" in dialog.errors["address"].text() and "is required" in dialog.errors["note"].text()
    type_text(qtbot, dialog.address, "=HYPERLINK(1)")
    type_text(qtbot, dialog.note, "form")
    assert dialog.errors["address"].isVisible() and "=" in dialog.errors["address"].text()
    assert dialog.errors["note"].text() == "Note should have 5 to 500 characters, not 4."
    dialog.save_button.click()
    assert dialog.isVisible() and desk_data.audit_rows("member.change_address") == []
    dialog.address.clear()
    type_text(qtbot, dialog.address, "上海市浦东新区世纪大道100号")
    type_text(qtbot, dialog.note, " signed")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "The address is changed" in screen.banner.text(), timeout=10_000)
    [row] = desk_data.audit_rows("member.change_address")
    assert row.details["note"] == "form signed"
    with desk_data.store.context.uow() as uow:
        assert uow.members.by_no(desk_data.zhang).address == "上海市浦东新区世纪大道100号"


def test_the_card_dialog_refuses_a_bad_or_taken_card_at_the_field_then_changes_it(qtbot, member_screen, desk_data):
    from ui_support import card_for

    screen = member_screen
    dialog = _open_care(qtbot, screen, Qt.Key.Key_C)
    assert dialog.objectName() == "CardDialog"
    type_text(qtbot, dialog.card_no, "6222 0212 3456 7890")
    assert "check" in dialog.errors["card_no"].text().lower()
    dialog.card_no.clear()
    type_text(qtbot, dialog.card_no, "62220")
    assert "16" in dialog.errors["card_no"].text()
    dialog.card_no.clear()
    type_text(qtbot, dialog.card_no, card_for(desk_data.serials["wang"]))
    type_text(qtbot, dialog.note, "Card reported lost by phone")
    with qtbot.waitSignal(dialog.sig_failed, timeout=10_000):
        dialog.save_button.click()
    assert f"already held by member {desk_data.wang}" in dialog.errors["card_no"].text()
    assert dialog.isVisible() and desk_data.audit_rows("member.change_card") == []
    new_card = card_for(555_321)
    dialog.card_no.clear()
    type_text(qtbot, dialog.card_no, new_card)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: screen.view is not None and screen.view.masked_card.endswith(new_card[-4:]), timeout=10_000)
    assert "The card is now" in screen.banner.text()
    [row] = desk_data.audit_rows("member.change_card")
    assert row.details["note"] == "Card reported lost by phone"


def test_the_address_and_card_shortcuts_are_listed_in_help(member_screen, main_window):
    listed = {(entry.keys, entry.what) for entry in collect_shortcuts(main_window)}
    assert ("Ctrl+Shift+A", "Change address") in listed and ("Ctrl+Shift+C", "Change card") in listed


def test_closing_refuses_each_field_and_needs_a_second_supervisor_then_the_counter_shows_it_closed(qtbot, member_screen, desk_data):
    from factories import DEFAULT_PASSWORD

    screen = member_screen
    balance = screen.view.posted_balance
    dialog = _open_care(qtbot, screen, Qt.Key.Key_X)
    assert dialog.objectName() == "CloseDialog"
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)
    assert dialog.preview.forfeited == balance > 0 and dialog.approver.isEnabled()
    dialog.save_button.click()
    assert "is required" in dialog.errors["note"].text()
    assert "second supervisor" in dialog.errors["approved_by"].text()
    assert "is required" in dialog.errors["approver_password"].text()
    type_text(qtbot, dialog.note, "Customer moved abroad")
    type_text(qtbot, dialog.approver, "officer1")  # the person closing it
    assert "cannot also approve" in dialog.errors["approved_by"].text()
    dialog.approver.clear()
    type_text(qtbot, dialog.approver, "super1")
    type_text(qtbot, dialog.approver_password, "wrong-password-1")
    with qtbot.waitSignal(dialog.sig_failed, timeout=10_000):
        dialog.save_button.click()
    assert dialog.isVisible() and dialog.errors["approved_by"].text() and dialog.approver_password.text() == ""
    assert desk_data.audit_rows("member.close") == [] and desk_data.services.members.view(member_no=desk_data.zhang).status != "closed"
    type_text(qtbot, dialog.approver_password, DEFAULT_PASSWORD)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: screen.view is not None and screen.view.status == "closed", timeout=10_000)
    assert screen.frozen_banner.isVisible() and "This account is closed" in screen.frozen_banner.text()
    assert screen.view.posted_balance == 0
    screen.redeem_button.click()
    assert "account is closed" in screen.banner.text()
    assert not screen.care.freeze_button.isEnabled() and not screen.care.close_action.isEnabled()
    [row] = desk_data.audit_rows("member.close")
    assert (row.actor, row.details["approved_by"], row.details["forfeited"]) == ("officer1", "super1", balance)


def test_the_benefits_tab_says_what_is_left_and_uses_one_until_none_are_left(qtbot, member_screen, desk_data):
    screen = member_screen  # 张伟 is a Gold member
    panel = screen.benefits_panel
    qtbot.waitUntil(lambda: panel.data is not None and panel.data.member_no == desk_data.zhang, timeout=10_000)
    screen.tabs.setCurrentWidget(panel)
    texts = [panel.list.item(i).text() for i in range(panel.list.count())]
    assert texts == ["Airport lounge visits: 4 of 4 left this year", "Car washes: 6 of 6 left this year"]
    for left in (3, 2, 1, 0):
        with qtbot.waitSignal(panel.sig_used, timeout=10_000):
            panel.use_button.click()
        qtbot.waitUntil(lambda n=left: panel.list.item(0).text() == f"Airport lounge visits: {n} of 4 left this year", timeout=10_000)
        qtbot.waitUntil(lambda: not panel.busy)
    assert not panel.use_button.isEnabled()  # none left of the chosen one
    panel.use()  # pressed anyway (a shortcut, a double click): nothing is written
    assert len(desk_data.audit_rows("member.benefit_use")) == 4
    assert screen.view.posted_balance == desk_data.services.members.view(member_no=desk_data.zhang).posted_balance


def test_a_standard_member_has_no_benefits_to_use(qtbot, main_window, desk_data):
    screen = _open(qtbot, main_window, desk_data.wang)
    panel = screen.benefits_panel
    qtbot.waitUntil(lambda: panel.data is not None and panel.data.member_no == desk_data.wang, timeout=10_000)
    assert panel.list.count() == 0 and "has no benefits" in panel.empty.text() and not panel.use_button.isEnabled()


def test_the_card_journey_tab_shows_a_new_cards_progress(qtbot, main_window, desk_data):
    from datetime import timedelta
    from decimal import Decimal

    from loyalty_desk.domain.earning import EarningTxn
    from loyalty_desk.domain.rules import Source
    from loyalty_desk.services.audit import Actor

    screen = _open(qtbot, main_window, desk_data.wang)
    assert "No card has been approved" in screen.journey_panel.approval.text()
    today = desk_data.store.clock().date()
    approved, applied = today - timedelta(days=5), today - timedelta(days=17)
    desk_data.services.earning.post(
        txns=[EarningTxn("AP1", desk_data.wang, approved, Source.CARD_APPROVED, Decimal(0), "", applied_on=applied),
              EarningTxn("SP1", desk_data.wang, today, Source.CARD_SPEND, Decimal("500.00"), "CARD")],
        origin="test", actor=Actor("import", "test-desk"))
    screen = _open(qtbot, main_window, desk_data.wang)
    panel = screen.journey_panel
    assert "12 days after the application: within the 20-day target" in panel.approval.text()
    assert "First transaction done on" in panel.first.text() and "1,000 points" in panel.first.text()
    assert "Spent 500.00 of 3,000 CNY; 60 days left" in panel.spend.text() and "3,000 points" in panel.spend.text()


def test_the_preferences_dialog_shows_the_preferences_in_force_and_changes_them_with_a_note(qtbot, member_screen, desk_data):
    screen = member_screen
    dialog = _open_care(qtbot, screen, Qt.Key.Key_E)
    assert dialog.objectName() == "PreferencesDialog"
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=10_000)  # the preferences in force, read on a worker
    assert dialog.language.currentData() == "zh_CN" and not dialog.opt_out.isChecked()
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.opt_out.setChecked(True)
    type_text(qtbot, dialog.note, "form")
    dialog.save_button.click()
    assert dialog.errors["note"].text() == "Note should have 5 to 500 characters, not 4."
    assert dialog.isVisible() and desk_data.audit_rows("member.outreach_preferences") == []
    type_text(qtbot, dialog.note, " signed")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "Message preferences saved" in screen.banner.text(), timeout=10_000)
    assert "messages in English, marketing messages refused" in screen.banner.text()
    [row] = desk_data.audit_rows("member.outreach_preferences")
    assert (row.actor, row.member_no, row.details["note"]) == ("officer1", desk_data.zhang, "form signed")
    shown = desk_data.services.outreach_preferences.get(session=desk_data.officer, member_no=desk_data.zhang)
    assert (shown.language, shown.opted_out, shown.changed_by) == ("en", True, "officer1")
