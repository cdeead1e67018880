"""A walk-in redemption as the officer lives it: swipe, at most six keys, the receipt out of the desk's
receipt printer (no print dialog), and the desk back in an empty lookup box for the next card."""

from __future__ import annotations

from typing import Any

import pytest
from factories import add_staff
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication
from ui_support import KeyCounter, PdfFilePrinters, audit_actions, card_for, type_text

MAX_KEYS_AFTER_THE_SWIPE = 6


@pytest.fixture
def catalogue(desk_data) -> Any:
    admin = add_staff(desk_data.store.context, username="admin1", role="admin")
    service = desk_data.services.redemption
    service.upsert_reward(code="VCH-JD100", name_zh="京东E卡100元", name_en="JD e-card 100 CNY", category="voucher",
                          points_cost=10_000, cash_value="100", session=admin)
    service.upsert_reward(code="GIFT-TUMBLER", name_zh="定制保温杯", name_en="Insulated tumbler", category="physical_gift",
                          points_cost=4_500, cash_value="45", stock_tracked=True, session=admin)
    service.receive_stock(branch_code="BJ01", reward_code="GIFT-TUMBLER", qty=5, session=admin)
    return admin


@pytest.fixture
def printers(main_window, tmp_path) -> PdfFilePrinters:
    """The desk's printer list: one receipt printer printing into PDF files."""
    folder = tmp_path / "printed"
    folder.mkdir()
    printers = PdfFilePrinters(folder)
    main_window.screens["redeem"].printers = printers
    return printers


def swipe(qtbot, window, text: str) -> Any:
    """The card swiped: its number typed into the focused lookup box and Enter (not counted)."""
    lookup, member = window.screens["lookup"], window.screens["member"]
    assert QApplication.focusWidget() is lookup.search
    with qtbot.waitSignal(member.sig_loaded, timeout=10_000):
        type_text(qtbot, lookup.search, text)
        qtbot.keyClick(lookup.search, Qt.Key.Key_Return)
    return member


def redeem_second_reward(qtbot, window, keys: KeyCounter) -> Any:
    """F4, ↓ to the second reward, Enter (confirm), Enter (redeem); returns the redemption screen."""
    redeem = window.screens["redeem"]
    keys.press(Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: window.current_key() == "redeem" and redeem.quote is not None and QApplication.focusWidget() is redeem.table,
                    timeout=10_000)
    keys.press(Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: redeem.quote is not None and redeem.quote.reward_code == "VCH-JD100", timeout=10_000)
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: redeem.confirm_dialog is not None and redeem.confirm_dialog.isAncestorOf(QApplication.focusWidget()),
                    timeout=10_000)
    with qtbot.waitSignal(redeem.sig_redeemed, timeout=10_000):
        keys.press(Qt.Key.Key_Return)
    return redeem


def assert_ready_for_the_next_card(qtbot, window) -> None:
    lookup = window.screens["lookup"]
    qtbot.waitUntil(lambda: window.current_key() == "lookup" and QApplication.focusWidget() is lookup.search, timeout=10_000)
    assert lookup.search.text() == ""
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not window] == []  # nothing left to close


def test_a_walk_in_redemption_takes_at_most_six_keys_and_prints_the_receipt(qtbot, main_window, desk_data, desk_settings,
                                                                             catalogue, printers):
    desk_settings.receipt_printer = printers.name  # chosen once in the settings
    before = desk_data.services.members.view(member_no=desk_data.zhang).available_balance
    swipe(qtbot, main_window, card_for(desk_data.serials["zhang"]))

    keys = KeyCounter(qtbot)
    redeem = main_window.screens["redeem"]
    with qtbot.waitSignal(redeem.sig_receipt_printed, timeout=20_000) as printed:
        receipt = redeem_second_reward(qtbot, main_window, keys).last_receipt
    assert_ready_for_the_next_card(qtbot, main_window)
    assert len(keys.keys) <= MAX_KEYS_AFTER_THE_SWIPE, keys.keys

    assert printed.args == [receipt.number]
    assert desk_data.services.members.view(member_no=desk_data.zhang).available_balance == before - 10_000
    # the receipt went to the receipt printer: one 80 mm page, and the print is audited
    (job,) = printers.jobs
    document = QPdfDocument()
    document.load(str(job))
    assert document.pageCount() == 1
    assert round(document.pagePointSize(0).width() / 72 * 25.4) == 80
    document.close()
    qtbot.waitUntil(lambda: audit_actions(desk_data).count("redemption.receipt_print") == 1, timeout=10_000)
    # the lookup box says what was done
    notice = main_window.screens["lookup"].banner.text()
    assert receipt.number in notice and "Receipt printed on Counter receipt printer." in notice

    # the next card goes straight in
    member = swipe(qtbot, main_window, desk_data.wang)
    assert member.view.member_no == desk_data.wang


def test_without_a_receipt_printer_the_screen_says_so_and_one_key_offers_the_choice(qtbot, main_window, desk_data, desk_settings,
                                                                                     catalogue, printers):
    assert desk_settings.receipt_printer == ""
    swipe(qtbot, main_window, card_for(desk_data.serials["zhang"]))
    redeem = main_window.screens["redeem"]
    keys = KeyCounter(qtbot)
    redeem_second_reward(qtbot, main_window, keys)
    assert "no receipt printer is chosen" in redeem.banner.text() and "F9" in redeem.banner.text()
    assert redeem.banner.property("tone") == "warn"
    assert "F9" in redeem.printer_line.text()
    assert main_window.current_key() == "redeem" and printers.jobs == []  # nothing silently skipped, nothing printed

    keys.press(Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: redeem.printer_dialog is not None and QApplication.focusWidget() is redeem.printer_dialog.choice,
                    timeout=10_000)
    assert redeem.printer_dialog.choice.chosen() == printers.name
    with qtbot.waitSignal(redeem.sig_receipt_printed, timeout=20_000):
        keys.press(Qt.Key.Key_Return)
    assert desk_settings.receipt_printer == printers.name  # kept for the next walk-in
    assert len(printers.jobs) == 1 and printers.jobs[0].is_file()
    assert_ready_for_the_next_card(qtbot, main_window)
    assert len(keys.keys) <= MAX_KEYS_AFTER_THE_SWIPE, keys.keys


def test_a_receipt_printer_that_is_gone_is_named_and_the_choice_offered(qtbot, main_window, desk_data, desk_settings,
                                                                        catalogue, printers):
    desk_settings.receipt_printer = "Old counter printer"
    swipe(qtbot, main_window, card_for(desk_data.serials["zhang"]))
    redeem = redeem_second_reward(qtbot, main_window, KeyCounter(qtbot))
    assert "receipt printer Old counter printer is not available" in redeem.banner.text()
    assert printers.jobs == [] and main_window.current_key() == "redeem"


def test_the_receipt_printer_is_chosen_once_in_settings(qtbot, desk_settings, tmp_path):
    from loyalty_desk.ui.settings_dialog import SettingsDialog

    printers = PdfFilePrinters(tmp_path)
    dialog = SettingsDialog(desk_settings, printers=printers)
    qtbot.addWidget(dialog)
    assert dialog.printer.count() == 1 and dialog.printer.chosen() == printers.name
    dialog.save()
    assert desk_settings.receipt_printer == printers.name
