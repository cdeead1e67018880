"""The administrator's reward catalogue: edit a reward, record stock received at a branch; every
change in the audit trail; a bad value is shown at its field and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from factories import add_staff
from PySide6.QtCore import Qt


@pytest.fixture
def admin_window(qtbot: Any, desk_data: Any, runner: Any, desk_settings: Any) -> Any:
    from loyalty_desk.ui.main_window import MainWindow
    from loyalty_desk.ui.registry import default_registry

    admin = add_staff(desk_data.store.context, username="admin1", display_name="周敏", role="admin")
    service = desk_data.services.redemption
    service.upsert_reward(session=admin, code="VCH-JD100", name_zh="京东E卡100元", name_en="JD e-card 100 CNY", category="voucher",
                          points_cost=10_000, cash_value="100")
    service.upsert_reward(session=admin, code="GIFT-TUMBLER", name_zh="定制保温杯", name_en="Insulated tumbler", category="physical_gift",
                          points_cost=4_500, cash_value="45", stock_tracked=True)
    service.receive_stock(session=admin, branch_code="BJ01", reward_code="GIFT-TUMBLER", qty=5)
    window = MainWindow(desk_data.services, admin, runner, desk_settings, default_registry())
    qtbot.addWidget(window)
    window.show()
    window.start()
    return window


def open_catalogue(qtbot: Any, window: Any) -> Any:
    screen = window.screens["catalogue"]
    with qtbot.waitSignal(screen.sig_loaded, timeout=10_000):
        window.navigate("catalogue")
    assert window.current_key() == "catalogue"
    return screen


def cell(screen: Any, code: str, header: str) -> str:
    headers = screen.model.headers()
    for i in range(screen.model.rowCount()):
        if screen.model.row(i).code == code:
            return screen.model.index(i, headers.index(header)).data()
    raise AssertionError(f"{code} not in the table")


def test_only_the_administrator_has_the_screen(desk_data: Any) -> None:
    from loyalty_desk.ui.registry import default_registry

    registry = default_registry()
    spec = registry.get("catalogue")
    assert spec.roles == frozenset({"admin"})
    assert spec.shortcut == "Shift+F9"
    taken = [s.shortcut for s in registry.for_role("admin") if s.key != "catalogue"]
    assert spec.shortcut not in taken


def test_admin_edits_points_cost_and_records_stock_received(qtbot: Any, admin_window: Any, desk_data: Any) -> None:
    screen = open_catalogue(qtbot, admin_window)
    # physical gifts first; stock on hand in total and per branch
    assert [screen.model.row(i).code for i in range(screen.model.rowCount())] == ["GIFT-TUMBLER", "VCH-JD100"]
    assert cell(screen, "GIFT-TUMBLER", "Stock") == "5"
    assert (screen.model.stock_at("GIFT-TUMBLER", "BJ01"), screen.model.stock_at("GIFT-TUMBLER", "SH01")) == (5, 0)
    assert cell(screen, "VCH-JD100", "Stock") == "–"
    assert screen.model.stock_at("VCH-JD100", "BJ01") is None

    # edit the voucher's points cost
    assert screen.select_code("VCH-JD100")
    assert screen.code.text() == "VCH-JD100" and screen.code.isReadOnly()
    assert screen.points_cost.text() == "10000"
    screen.points_cost.clear()
    qtbot.keyClicks(screen.points_cost, "12000")
    with qtbot.waitSignal(screen.sig_saved, timeout=10_000), qtbot.waitSignal(screen.sig_loaded, timeout=10_000):
        qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert cell(screen, "VCH-JD100", "Points") == "12,000"
    assert screen.selected().code == "VCH-JD100"
    assert "VCH-JD100" in screen.banner.text()

    # record 20 tumblers received at Shanghai: Ctrl+Shift+S turns to the stock received, at the quantity
    assert screen.select_code("GIFT-TUMBLER")
    qtbot.keyClick(screen.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert screen.forms.currentWidget() is screen.stock_card and screen.qty.hasFocus()
    assert screen.receive_button.isEnabled()
    screen.branch.setCurrentIndex(screen.branch.findData("SH01"))
    screen.qty.setValue(20)
    qtbot.keyClicks(screen.note, "Delivery 4471")
    with qtbot.waitSignal(screen.sig_stock_recorded, timeout=10_000) as recorded, qtbot.waitSignal(screen.sig_loaded, timeout=10_000):
        qtbot.mouseClick(screen.receive_button, Qt.MouseButton.LeftButton)
    assert recorded.args == [20]
    assert cell(screen, "GIFT-TUMBLER", "Stock") == "25"
    assert (screen.model.stock_at("GIFT-TUMBLER", "BJ01"), screen.model.stock_at("GIFT-TUMBLER", "SH01")) == (5, 20)
    assert screen.on_hand.text() == "BJ01&nbsp;<b>5</b> · SH01&nbsp;<b>20</b>"

    # the audit trail has both, by the administrator
    update = [r for r in desk_data.audit_rows("reward.update") if r.actor == "admin1"]
    assert len(update) == 1
    received = [r for r in desk_data.audit_rows("stock.receive") if r.actor == "admin1"]
    assert len(received) == 2  # the fixture's 5 at BJ01, then this one
    assert received[-1].details == {"change": 20, "note": "Delivery 4471"}
    offers = {o.code: o for o in desk_data.services.redemption.catalogue(branch_code="SH01", include_inactive=True)}
    assert offers["VCH-JD100"].points_cost == 12_000
    assert offers["GIFT-TUMBLER"].stock == 20


def test_points_that_are_not_a_number_in_range_are_refused_at_the_field(qtbot: Any, admin_window: Any, desk_data: Any) -> None:
    screen = open_catalogue(qtbot, admin_window)
    before = len(desk_data.audit_rows())
    assert screen.select_code("VCH-JD100")
    error = screen.errors["points_cost"]
    assert "10,000,000" in screen.points_cost.placeholderText()  # the range is stated before anything is typed
    for typed in ("-500", "12a00", "999999999"):
        screen.points_cost.clear()
        qtbot.keyClicks(screen.points_cost, typed)
        assert screen.points_cost.text() == typed  # nothing typed is dropped or capped
        qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
        assert error.isVisible() and error.text() == "Enter a whole number from 1 to 10,000,000."
        assert runner_idle(admin_window)
    offers = {o.code: o for o in desk_data.services.redemption.catalogue(branch_code="BJ01", include_inactive=True)}
    assert offers["VCH-JD100"].points_cost == 10_000
    assert len(desk_data.audit_rows()) == before


def runner_idle(window: Any) -> bool:
    return window.screens["catalogue"]._context.runner.active_count() == 0


def test_the_reward_form_shows_every_error_at_once_and_never_cuts_a_name(qtbot: Any, admin_window: Any, desk_data: Any) -> None:
    screen = open_catalogue(qtbot, admin_window)
    screen.new_reward()
    qtbot.keyClicks(screen.code, "GIFT-LONG")
    long_name = "Ceramic travel mug " * 6  # 114 characters
    screen.name_en.setText(long_name)
    screen.name_zh.setText("长名字")
    qtbot.keyClicks(screen.points_cost, "5OO")
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert screen.name_en.text() == long_name  # kept whole, with a counter saying it is too long
    assert screen.name_en.counter.text() == f"{len(long_name)} / 100"
    assert screen.errors["name_en"].isVisible() and screen.errors["name_en"].text() == f"At most 100 characters: {len(long_name)} typed."
    assert screen.errors["points_cost"].isVisible()  # both at once
    assert runner_idle(admin_window)


def test_a_reward_with_no_cash_value_and_outsized_points_is_saved_only_when_confirmed(qtbot: Any, admin_window: Any, desk_data: Any) -> None:
    screen = open_catalogue(qtbot, admin_window)
    screen.new_reward()
    qtbot.keyClicks(screen.code, "VCH-HUGE")
    screen.name_zh.setText("大奖")
    qtbot.keyClicks(screen.name_en, "Grand prize")
    qtbot.keyClicks(screen.points_cost, "9000000")
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert runner_idle(admin_window)
    assert "¥0.00" in screen.banner.text() and "far outside" in screen.banner.text()
    assert screen.save_button.text() == "Save anyway"
    with qtbot.waitSignal(screen.sig_saved, timeout=10_000):
        qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    offers = {o.code: o for o in desk_data.services.redemption.catalogue(branch_code="BJ01", include_inactive=True)}
    assert offers["VCH-HUGE"].points_cost == 9_000_000


def test_stock_received_above_the_stated_range_is_refused_at_the_field(qtbot, admin_window, desk_data):
    screen = open_catalogue(qtbot, admin_window)
    assert screen.select_code("GIFT-TUMBLER")
    screen.forms.setCurrentWidget(screen.stock_card)
    before = screen.model.stock_at("GIFT-TUMBLER", "BJ01")
    assert screen.qty.placeholderText() == "1 to 100,000"
    screen.qty.selectAll()
    qtbot.keyClicks(screen.qty, "250000")
    qtbot.mouseClick(screen.receive_button, Qt.MouseButton.LeftButton)
    assert screen.errors["qty"].isVisible()
    assert screen.errors["qty"].text() == "Enter a whole number from 1 to 100,000."
    assert screen.qty.text() == "250000"
    assert screen.model.stock_at("GIFT-TUMBLER", "BJ01") == before
    assert len(desk_data.audit_rows("stock.receive")) == 1  # the fixture's delivery only


def test_the_yearly_limit_is_empty_for_unlimited_and_refuses_out_of_range_at_the_field(qtbot, admin_window, desk_data):
    screen = open_catalogue(qtbot, admin_window)
    assert screen.select_code("VCH-JD100")
    assert screen.yearly_limit.text() == "" and "unlimited" in screen.yearly_limit.placeholderText()
    qtbot.keyClicks(screen.yearly_limit, "12000")
    screen.save()
    assert screen.errors["yearly_limit_per_member"].isVisible()
    assert screen.errors["yearly_limit_per_member"].text() == "Enter a whole number from 1 to 9,999."
    assert screen.yearly_limit.text() == "12000"
    screen.yearly_limit.setText("4")
    with qtbot.waitSignal(screen.sig_saved, timeout=10_000):
        screen.save()
    offers = {o.code: o for o in desk_data.services.redemption.catalogue(branch_code="BJ01", include_inactive=True)}
    assert offers["VCH-JD100"].yearly_limit_per_member == 4
    assert screen.select_code("VCH-JD100") and screen.yearly_limit.text() == "4"
    screen.yearly_limit.clear()
    with qtbot.waitSignal(screen.sig_saved, timeout=10_000):
        screen.save()
    offers = {o.code: o for o in desk_data.services.redemption.catalogue(branch_code="BJ01", include_inactive=True)}
    assert offers["VCH-JD100"].yearly_limit_per_member is None


def test_a_stock_note_over_its_limit_is_kept_and_refused_at_the_note(qtbot, admin_window, desk_data):
    screen = open_catalogue(qtbot, admin_window)
    assert screen.select_code("GIFT-TUMBLER")
    screen.forms.setCurrentWidget(screen.stock_card)
    before = screen.model.stock_at("GIFT-TUMBLER", "BJ01")
    screen.qty.selectAll()
    qtbot.keyClicks(screen.qty, "5")
    note = "Delivery slip " * 15  # 210 characters
    screen.note.setText(note)
    assert screen.note.counter.text() == "210 / 200"
    with qtbot.waitSignal(screen.sig_failed, timeout=10_000):
        qtbot.mouseClick(screen.receive_button, Qt.MouseButton.LeftButton)
    assert screen.errors["reason"].isVisible() and "200" in screen.errors["reason"].text()
    assert screen.note.text() == note
    assert screen.model.stock_at("GIFT-TUMBLER", "BJ01") == before
