"""The redemption screen, driven with the keyboard: choose, confirm with Enter, receipt; a blocked
reward says why; a supervisor reverses with a reason."""

from __future__ import annotations

from typing import Any

import pytest
from factories import add_staff
from PySide6.QtCore import Qt
from ui_support import PdfFilePrinters, audit_actions, type_text

from loyalty_desk.ui.screens.statements import PdfPreviewDialog


@pytest.fixture
def catalogue(desk_data) -> Any:
    admin = add_staff(desk_data.store.context, username="admin1", role="admin")
    service = desk_data.services.redemption
    common = {"session": admin}
    service.upsert_reward(code="VCH-JD100", name_zh="京东E卡100元", name_en="JD e-card 100 CNY", category="voucher",
                          points_cost=10_000, cash_value="100", **common)
    service.upsert_reward(code="GIFT-TUMBLER", name_zh="定制保温杯", name_en="Insulated tumbler", category="physical_gift",
                          points_cost=4_500, cash_value="45", stock_tracked=True, **common)
    service.upsert_reward(code="SVC-TRANSFERFEE", name_zh="跨行转账手续费全年免", name_en="Transfer fees waived for a year",
                          category="service_privilege", points_cost=30_000, cash_value="300", min_tier="platinum", **common)
    service.receive_stock(branch_code="BJ01", reward_code="GIFT-TUMBLER", qty=1, **common)
    return admin


def open_redeem(qtbot, window, member_no: str) -> Any:
    member = window.screens["member"]
    with qtbot.waitSignal(member.sig_loaded, timeout=10_000):
        window.navigate("member", member_no=member_no)
    screen = window.screens["redeem"]
    with qtbot.waitSignal(screen.sig_loaded, timeout=10_000), qtbot.waitSignal(screen.sig_quoted, timeout=10_000):
        qtbot.keyClick(member, Qt.Key.Key_F4)
    assert window.current_key() == "redeem"
    assert window.focusWidget() is screen.table
    return screen


def choose(qtbot, screen, code: str) -> None:
    """Arrow keys down the catalogue until ``code`` is the current row and its quote is shown."""
    for _ in range(screen.model.rowCount()):
        if screen.current_offer().code == code:
            break
        with qtbot.waitSignal(screen.sig_quoted, timeout=10_000):
            qtbot.keyClick(screen.table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: screen.quote is not None and screen.quote.reward_code == code, timeout=10_000)


def test_a_redemption_with_the_keyboard_only(qtbot, main_window, desk_data, desk_settings, catalogue, tmp_path):
    printers = PdfFilePrinters(tmp_path)
    desk_settings.receipt_printer = printers.name
    screen = open_redeem(qtbot, main_window, desk_data.zhang)
    screen.printers = printers
    before = desk_data.services.members.view(member_no=desk_data.zhang).available_balance
    # available first, cheapest first; the Platinum-only reward last, with its reason
    assert [screen.model.row(i).code for i in range(screen.model.rowCount())] == ["GIFT-TUMBLER", "VCH-JD100", "SVC-TRANSFERFEE"]
    assert screen.model.index(2, 4).data() == "Needs the Platinum tier (the member is Gold)."

    choose(qtbot, screen, "VCH-JD100")
    with qtbot.waitSignal(screen.sig_quoted, timeout=10_000):
        qtbot.keyClick(screen.table, Qt.Key.Key_Q, Qt.KeyboardModifier.AltModifier)  # &Quantity
        assert screen.focusWidget() is screen.qty
        qtbot.keyClick(screen.qty, Qt.Key.Key_Up)
    assert (screen.quote.qty, screen.quote.points) == (2, 20_000)
    assert screen.before_value.text() == f"{before:,}" and screen.after_value.text() == f"{before - 20_000:,}"

    qtbot.keyClick(screen.qty, Qt.Key.Key_Return)  # the confirm step
    qtbot.waitUntil(lambda: screen.confirm_dialog is not None)
    dialog = screen.confirm_dialog
    with qtbot.waitSignal(screen.sig_redeemed, timeout=10_000) as redeemed, qtbot.waitSignal(screen.sig_receipt_printed, timeout=20_000):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
    receipt = redeemed.args[0]
    assert (receipt.qty, receipt.points, receipt.balance_after) == (2, 20_000, before - 20_000)
    assert desk_data.services.members.view(member_no=desk_data.zhang).available_balance == before - 20_000
    # printed on the receipt printer without a dialog, audited; the desk is back at the lookup box
    assert len(printers.jobs) == 1 and printers.jobs[0].is_file()
    qtbot.waitUntil(lambda: main_window.current_key() == "lookup", timeout=10_000)
    assert receipt.number in main_window.screens["lookup"].banner.text()
    qtbot.waitUntil(lambda: audit_actions(desk_data).count("redemption.receipt_print") == 1, timeout=10_000)
    assert "redemption.redeem" in audit_actions(desk_data)

    # asked for: the receipt in the preview (Ctrl+P on the redemption screen), Save as PDF audited
    open_redeem(qtbot, main_window, desk_data.zhang)
    with qtbot.waitSignal(screen.sig_receipt_preview, timeout=10_000) as opened:
        qtbot.keyClick(screen.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    preview = opened.args[0]
    assert isinstance(preview, PdfPreviewDialog) and preview is screen.preview_dialog and preview.isVisible()
    assert preview.page_count() >= 1
    assert receipt.number in preview.windowTitle()
    assert receipt.number in preview.document.getAllText(0).text()
    assert preview.print_button.isEnabled() and preview.save_button.isEnabled()
    preview.save_to(tmp_path / "copy.pdf")  # Save as PDF: audited as a PDF of the receipt
    assert (tmp_path / "copy.pdf").read_bytes() == preview.path.read_bytes()
    qtbot.waitUntil(lambda: audit_actions(desk_data).count("redemption.receipt_print") == 2, timeout=10_000)
    preview.close()
    qtbot.waitUntil(lambda: screen.preview_dialog is None)

    qtbot.keyClick(screen, Qt.Key.Key_Escape)  # back to the member, refreshed
    member = main_window.screens["member"]
    qtbot.waitUntil(lambda: member.view is not None and member.view.available_balance == before - 20_000, timeout=10_000)
    assert main_window.current_key() == "member"


def test_a_blocked_reward_shows_its_reason_and_enter_does_not_redeem(qtbot, main_window, desk_data, catalogue):
    screen = open_redeem(qtbot, main_window, desk_data.zhang)
    choose(qtbot, screen, "SVC-TRANSFERFEE")
    assert screen.blocks.text() == "• Needs the Platinum tier (the member is Gold)."
    assert not screen.redeem_button.isEnabled()
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    assert screen.confirm_dialog is None
    assert "Platinum" in screen.banner.text()


def test_the_last_item_then_out_of_stock(qtbot, main_window, desk_data, catalogue):
    screen = open_redeem(qtbot, main_window, desk_data.zhang)
    assert screen.current_offer().code == "GIFT-TUMBLER"
    assert screen.model.index(0, 3).data() == "1"
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.confirm_dialog is not None)
    with qtbot.waitSignal(screen.sig_redeemed, timeout=10_000), qtbot.waitSignal(screen.sig_loaded, timeout=10_000):
        qtbot.keyClick(screen.confirm_dialog, Qt.Key.Key_Return)
    row = screen.model.find("GIFT-TUMBLER")
    assert screen.model.index(row, 4).data() == "Out of stock at this branch: 0 left, 1 wanted."
    assert screen.model.row(row).available is False


def test_a_supervisor_reverses_a_redemption_with_a_reason(qtbot, desk_data, catalogue, runner, desk_settings):
    from loyalty_desk.ui.main_window import MainWindow
    from loyalty_desk.ui.registry import default_registry

    service = desk_data.services.redemption
    receipt = service.redeem(operation_id=service.new_operation_id(), session=desk_data.officer, member_no=desk_data.zhang,
                             reward_code="VCH-JD100", qty=1)
    before = desk_data.services.members.view(member_no=desk_data.zhang).available_balance
    window = MainWindow(desk_data.services, desk_data.supervisor, runner, desk_settings, default_registry())
    qtbot.addWidget(window)
    window.show()
    window.start()
    screen = window.screens["redeem"]
    with qtbot.waitSignal(screen.sig_history_loaded, timeout=10_000):
        open_redeem(qtbot, window, desk_data.zhang)
    qtbot.waitUntil(lambda: screen.history_model.rowCount() == 1)
    assert screen.reverse_button.isVisible()

    qtbot.keyClick(screen.history, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: screen.reverse_dialog is not None)
    dialog = screen.reverse_dialog
    type_text(qtbot, dialog.reason, "客户退回 goods returned")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Tab)  # to the Reverse button
    with qtbot.waitSignal(screen.sig_reversed, timeout=10_000) as reversed_:
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert reversed_.args[0].points == 10_000
    qtbot.waitUntil(lambda: screen.history_model.rowCount() == 1 and screen.history_model.row(0).reversed_at is not None, timeout=10_000)
    assert "客户退回 goods returned" in screen.history_model.index(0, 5).data()
    assert desk_data.services.members.view(member_no=desk_data.zhang).available_balance == before + 10_000
    assert service.get(number=receipt.number).reversed_by == "super1"


def test_an_officer_has_no_reverse_button(qtbot, main_window, desk_data, catalogue):
    screen = open_redeem(qtbot, main_window, desk_data.zhang)
    assert not screen.reverse_button.isVisible()
    screen.ask_reverse()
    assert screen.reverse_dialog is None


def test_reprint_receipt_opens_the_receipt_in_the_preview(qtbot, main_window, desk_data, catalogue):
    service = desk_data.services.redemption
    receipt = service.redeem(operation_id=service.new_operation_id(), session=desk_data.officer, member_no=desk_data.zhang,
                             reward_code="VCH-JD100", qty=1)
    screen = main_window.screens["redeem"]
    with qtbot.waitSignal(screen.sig_history_loaded, timeout=10_000):
        open_redeem(qtbot, main_window, desk_data.zhang)
    qtbot.waitUntil(lambda: screen.history_model.rowCount() == 1)
    with qtbot.waitSignal(screen.sig_receipt_preview, timeout=10_000) as opened:
        qtbot.keyClick(screen.history, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    preview = opened.args[0]
    assert preview.page_count() >= 1 and receipt.number in preview.document.getAllText(0).text()
    assert audit_actions(desk_data).count("redemption.receipt_print") == 0  # only a print or a saved copy is audited
    preview.close()


def test_a_long_reward_name_leaves_points_stock_and_availability_in_view(qtbot, main_window, desk_data, catalogue):
    desk_data.services.redemption.upsert_reward(
        session=catalogue, code="GIFT-LONGNAME", name_zh="长" * 100, name_en="Ceramic travel mug with a lid " * 3 + "x" * 10,
        category="physical_gift", points_cost=5_000, cash_value="50")
    main_window.resize(1280, 800)
    screen = open_redeem(qtbot, main_window, desk_data.zhang)
    table = screen.table
    qtbot.waitUntil(lambda: screen.model.find("GIFT-LONGNAME") >= 0, timeout=10_000)
    header = table.horizontalHeader()
    for column in (2, 3, 4):
        assert not header.isSectionHidden(column)
        assert header.sectionViewportPosition(column) + header.sectionSize(column) <= table.viewport().width(), column


def test_points_stock_and_availability_stay_in_view_at_1024_pixels(qtbot, main_window, desk_data, catalogue):
    main_window.resize(1024, 700)
    open_redeem(qtbot, main_window, desk_data.zhang)
    screen = main_window.screens["redeem"]
    qtbot.waitUntil(lambda: screen.model.rowCount() > 0, timeout=10_000)
    header = screen.table.horizontalHeader()
    for column in (2, 3, 4):
        assert header.sectionViewportPosition(column) + header.sectionSize(column) <= screen.table.viewport().width() + 1, column
    # the reward's name gets the room: its category is said in the card beside, not in a column
    assert header.isSectionHidden(1)
    metrics = screen.table.fontMetrics()
    assert header.sectionSize(0) >= metrics.horizontalAdvance("JD e-card 100 CNY") + 16
    assert "Voucher" in screen.reward_other.text() or "Gift" in screen.reward_other.text()


def test_the_quantity_field_states_its_range_and_refuses_more_at_the_field(qtbot, main_window, desk_data, catalogue):
    screen = open_redeem(qtbot, main_window, desk_data.zhang)
    choose(qtbot, screen, "VCH-JD100")
    assert screen.qty.placeholderText() == "1 to 99"
    screen.qty.setFocus()
    screen.qty.selectAll()
    qtbot.keyClicks(screen.qty, "150")
    # what was typed stays, the error line names the range, nothing can be confirmed
    assert screen.qty.text() == "150"
    qtbot.waitUntil(lambda: screen.qty_error.isVisible())
    assert screen.qty_error.text() == "Enter a whole number from 1 to 99."
    assert screen.quote is None and not screen.redeem_button.isEnabled()
    qtbot.keyClick(screen.qty, Qt.Key.Key_Return)
    assert screen.confirm_dialog is None and screen.focusWidget() is screen.qty
    # letters and a minus sign are refused the same way, not dropped
    screen.qty.selectAll()
    qtbot.keyClicks(screen.qty, "-2x")
    assert screen.qty.text() == "-2x" and screen.qty_error.isVisible()
    # a number in range is quoted again and the error goes
    screen.qty.selectAll()
    with qtbot.waitSignal(screen.sig_quoted, timeout=10_000):
        qtbot.keyClicks(screen.qty, "3")
    assert not screen.qty_error.isVisible()
    assert (screen.quote.qty, screen.quote.points) == (3, 30_000)
