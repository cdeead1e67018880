"""The campaign form for the card-journey kinds: choosing a kind shows only its fields, a bad parameter is
refused at its field (nothing saved), and one campaign of each kind is saved with its parameters."""

from __future__ import annotations

from typing import Any

import pytest
from factories import add_branch, add_staff, carry_sign_ins
from PySide6.QtCore import Qt
from ui_support import type_text

from loyalty_desk.ui.screens.campaigns.dialogs import describe

ROWS = ("multiplier", "bonus_points", "target_cny", "within_days", "sources")


@pytest.fixture
def screen(qtbot: Any, desk_data: Any, runner: Any, desk_settings: Any) -> Any:
    from loyalty_desk.ui.main_window import MainWindow
    from loyalty_desk.ui.registry import default_registry

    context = desk_data.store.context
    add_branch(context, code="HQ01", name_zh="总行营业部", name_en="Head Office", head_office=True)
    maker = add_staff(context, username="mkt.maker", display_name="赵敏", role="marketing", branch_code="HQ01")
    carry_sign_ins(context, desk_data.services, maker)
    window = MainWindow(desk_data.services, maker, runner, desk_settings, default_registry())
    qtbot.addWidget(window)
    window.show()
    window.start()
    found = window.screens["campaigns"]
    with qtbot.waitSignal(found.sig_loaded, timeout=10_000):
        window.navigate("campaigns")
    return found


def shown_rows(screen: Any) -> set[str]:
    return {key for key in ROWS if screen.labels[key].isVisibleTo(screen)}


def choose(screen: Any, kind: str) -> None:
    screen.kind.setCurrentIndex(screen.kind.findData(kind))


def fill_common(qtbot: Any, screen: Any, name: str) -> None:
    screen.new_campaign()
    type_text(qtbot, screen.name_zh, f"{name}任务")
    qtbot.keyClicks(screen.name_en, "Card task")
    screen.budget.setText("200000")


def save(qtbot: Any, screen: Any) -> Any:
    with qtbot.waitSignal(screen.sig_saved, timeout=10_000) as saved:
        qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    view = saved.args[0]
    qtbot.waitUntil(lambda: screen.current() is not None and screen.current().code == view.code, timeout=10_000)  # reloaded
    return view


def test_each_kind_shows_only_its_fields(screen: Any) -> None:
    expected = {
        "multiplier": {"multiplier", "sources"},
        "bonus": {"bonus_points", "sources"},
        "card_approved": {"bonus_points", "within_days"},
        "first_transaction": {"bonus_points"},
        "spend_target": {"bonus_points", "target_cny", "within_days"},
    }
    for kind, rows in expected.items():
        choose(screen, kind)
        assert shown_rows(screen) == rows, kind
    choose(screen, "card_approved")
    assert "Approval" in screen.labels["within_days"].text()
    choose(screen, "spend_target")
    assert "Target" in screen.labels["within_days"].text()


def test_one_of_each_journey_kind_is_saved_from_the_form(qtbot: Any, screen: Any, desk_data: Any) -> None:
    fill_common(qtbot, screen, "快速批卡")
    choose(screen, "card_approved")
    screen.bonus.setText("800")
    screen.within_days.setText("400")
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert "The number of days must be from 1 to 365" in screen.errors["within_days"].text()
    assert screen.errors["within_days"].isVisibleTo(screen)
    assert desk_data.services.campaigns.list(session=screen._context.session) == []
    screen.within_days.setText("10")
    approved = save(qtbot, screen)
    assert (approved.kind, approved.bonus_points, approved.within_days, approved.target_cny, approved.sources) == (
        "card_approved", 800, 10, None, ("card_approved",))

    fill_common(qtbot, screen, "首刷有礼")
    choose(screen, "first_transaction")
    screen.bonus.setText("300")
    first = save(qtbot, screen)
    assert (first.kind, first.bonus_points, first.within_days, first.sources) == ("first_transaction", 300, None, ("card_spend",))

    fill_common(qtbot, screen, "消费达标")
    choose(screen, "spend_target")
    screen.bonus.setText("2000")
    screen.within_days.setText("65")
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert "target_cny" in screen.errors["target_cny"].text()  # left empty: named
    screen.target_cny.setText("3,000")
    target = save(qtbot, screen)
    assert (target.kind, target.bonus_points, target.within_days, target.target_cny) == ("spend_target", 2_000, 65, 3_000)

    qtbot.waitUntil(lambda: screen.model.rowCount() == 3, timeout=10_000)
    assert screen.select_code(target.code)
    assert (screen.kind.currentData(), screen.target_cny.text(), screen.within_days.text()) == ("spend_target", "3000", "65")
    assert shown_rows(screen) == {"bonus_points", "target_cny", "within_days"}
    rules = {screen.model.row(i).kind: screen.model.cell(screen.model.row(i), 4) for i in range(3)}
    assert rules == {"card_approved": "+800 · approved in ≤ 10 d", "first_transaction": "+300 · first transaction",
                     "spend_target": "+2,000 · 3,000 CNY in 65 d"}
    row = next(i for i in range(3) if screen.model.row(i).kind == "spend_target")
    assert screen.model.data(screen.model.index(row, 4), Qt.ItemDataRole.ToolTipRole) == (
        "+2,000 points once, card spend of 3,000 CNY within 65 days of approval")
    assert "+2,000 points once, card spend of 3,000 CNY within 65 days of approval" in describe(target, chinese=False)
