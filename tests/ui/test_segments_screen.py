"""The Segments screen end to end: a marketer sets criteria and watches the live member count (counted on a
worker, the latest count shown), a bad criterion is refused at its field with no count, the segment is
saved as an audited operation and listed, then edited to a new version; an auditor reads without saving."""

from __future__ import annotations

from typing import Any

import pytest
from factories import add_branch, add_staff, carry_sign_ins
from PySide6.QtCore import Qt
from ui_support import type_text


@pytest.fixture
def marketer(desk_data: Any) -> Any:
    context = desk_data.store.context
    add_branch(context, code="HQ01", name_zh="总行营业部", name_en="Head Office", head_office=True)
    maker = add_staff(context, username="mkt.maker", display_name="赵敏", role="marketing", branch_code="HQ01")
    auditor = add_staff(context, username="audit1", display_name="孙丽", role="auditor", branch_code="HQ01")
    carry_sign_ins(context, desk_data.services, maker, auditor)
    return maker, auditor


def window_for(qtbot: Any, desk_data: Any, runner: Any, desk_settings: Any, session: Any) -> Any:
    from loyalty_desk.ui.main_window import MainWindow
    from loyalty_desk.ui.registry import default_registry

    window = MainWindow(desk_data.services, session, runner, desk_settings, default_registry())
    qtbot.addWidget(window)
    window.show()
    window.start()
    screen = window.screens["segments"]
    with qtbot.waitSignal(screen.sig_loaded, timeout=10_000):
        window.navigate("segments")
    return window, screen


def test_live_count_bad_field_save_and_edit(qtbot: Any, desk_data: Any, runner: Any, desk_settings: Any, marketer: Any) -> None:
    maker, auditor = marketer
    window, screen = window_for(qtbot, desk_data, runner, desk_settings, maker)
    with qtbot.waitSignal(screen.sig_counted, timeout=10_000) as everyone:
        screen.recount()
    assert everyone.args[0].members == 4
    assert "4 members today" in screen.count_label.text()

    with qtbot.waitSignal(screen.sig_counted, timeout=10_000) as gold:
        screen.tiers["gold"].setChecked(True)  # 张伟 is the desk's Gold member
    assert gold.args[0].members == 1

    with qtbot.waitSignal(screen.sig_counted, timeout=10_000) as refused:
        qtbot.keyClicks(screen.balance_min, "500")
        qtbot.keyClicks(screen.balance_max, "100")
    assert refused.args[0] is None
    assert "must not be below the lowest balance" in screen.errors["balance_max"].text()
    assert screen.count_label.text() == "Members: –"
    screen.balance_min.clear()
    screen.balance_max.clear()

    qtbot.keyClicks(screen.code, "gold-all")
    type_text(qtbot, screen.name_zh, "金卡会员")
    qtbot.keyClicks(screen.name_en, "Gold members")
    with qtbot.waitSignal(screen.sig_saved, timeout=10_000) as saved:
        qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert (saved.args[0].code, saved.args[0].version) == ("GOLD-ALL", 1)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=10_000)
    headers = screen.model.headers()
    assert screen.model.index(0, headers.index("Criteria")).data() == "Gold"

    with qtbot.waitSignal(screen.sig_counted, timeout=10_000) as reopened:
        screen.select_code("GOLD-ALL")
    assert reopened.args[0].members == 1
    assert not screen.code.isEnabled() and screen.tiers["gold"].isChecked()
    with qtbot.waitSignal(screen.sig_counted, timeout=10_000) as wider:
        screen.tiers["standard"].setChecked(True)
    assert wider.args[0].members == 4
    with qtbot.waitSignal(screen.sig_saved, timeout=10_000) as edited:
        qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert edited.args[0].version == 2
    assert [(r.action, r.actor) for r in desk_data.audit_rows("segment.")] == [("segment.created", "mkt.maker"), ("segment.changed", "mkt.maker")]
    window.close()

    window2, screen2 = window_for(qtbot, desk_data, runner, desk_settings, auditor)
    assert screen2.model.rowCount() == 1 and not screen2.save_button.isVisibleTo(screen2)
    assert screen2.select_code("GOLD-ALL") and not screen2.name_en.isEnabled()
    window2.close()
