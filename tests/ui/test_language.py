"""Simplified Chinese and English through Qt's translation system; the shipped CJK font renders Chinese."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.resources import resource_path
from loyalty_desk.ui import fmt
from loyalty_desk.ui.app import apply_font, install_language, load_cjk_font
from loyalty_desk.ui.errors import error_message


def test_the_compiled_translation_ships_beside_its_source():
    assert resource_path("translations", "loyalty_desk_zh_CN.ts").is_file()
    assert resource_path("translations", "loyalty_desk_zh_CN.qm").stat().st_size > 1000


def test_chinese_uses_the_terms_table(qapp):
    install_language(qapp, "zh_CN")
    assert QCoreApplication.translate("Screens", "Member lookup") == "会员查询"
    assert fmt.tier("gold") == "金卡"
    assert fmt.tier("platinum") == "白金卡"
    assert fmt.label(fmt.ROLES, "supervisor") == "主管"
    assert QCoreApplication.translate("MainWindow", "&Lock desk").startswith("锁屏")
    assert error_message(DomainError("auth.invalid_credentials")) == "用户名或密码错误。"
    assert QLocale().toString(1234567) == "1,234,567"
    install_language(qapp, "en")
    assert fmt.tier("gold") == "Gold"


def test_numbers_and_dates_follow_the_locale(qapp):
    from datetime import date

    install_language(qapp, "en")
    assert fmt.day(date(2026, 7, 1)) == "01/07/2026"
    install_language(qapp, "zh_CN")
    assert fmt.day(date(2026, 7, 1)) == "2026/7/1"
    assert fmt.signed(-1500) == "−1,500"


def test_screens_in_chinese(qtbot, qapp, desk_data, runner, desk_settings):
    from loyalty_desk.ui.main_window import MainWindow
    from loyalty_desk.ui.registry import default_registry

    install_language(qapp, "zh_CN")
    desk_settings.language = "zh_CN"
    window = MainWindow(desk_data.services, desk_data.officer, runner, desk_settings, default_registry())
    qtbot.addWidget(window)
    lookup = window.screens["lookup"]
    assert lookup.title.text() == "会员查询"
    assert window.sync_label.text() == "单机运行"
    assert window.branch_label.text().startswith("北京分行营业部")
    assert [lookup.model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == ["会员号", "姓名", "证件号码"]


def test_the_shipped_font_covers_chinese(qapp):
    family = load_cjk_font()
    assert family == "Noto Sans SC Subset"
    assert family in QFontDatabase.families()
    metrics = QFontMetrics(QFont(family, 12))
    for ch in "会员查询积分余额兑换白金卡锁屏，。":
        assert metrics.inFontUcs4(ord(ch)), ch
    apply_font(qapp, "zh_CN")
    assert qapp.font().families()[0] == family
    apply_font(qapp, "en")
    assert family in qapp.font().families()
    font_file = resource_path("fonts", "NotoSansSC-Subset.ttf")
    assert font_file.stat().st_size < 6 * 1024 * 1024
    assert font_file.read_bytes()[:4] == b"\x00\x01\x00\x00"  # TrueType outlines (glyf), embeddable in PDFs
    assert resource_path("fonts", "OFL.txt").is_file()


def test_switching_language_takes_effect_at_once_keeping_the_session(qtbot, qapp, desk_data, desk_settings):
    """Settings → Language: the window comes back in the new language at once, still signed in,
    with the member that was open opened again; nobody is signed out."""
    from loyalty_desk.ui.app import Desk
    from loyalty_desk.ui.settings_dialog import SettingsDialog

    desk = Desk(desk_data.services, desk_settings)
    window = desk.open_main_window(desk_data.officer)
    member = window.screens["member"]
    with qtbot.waitSignal(member.sig_loaded):
        window.navigate("member", member_no=desk_data.zhang)
    assert window.screens["lookup"].title.text() == "Member lookup"

    dialog = SettingsDialog(desk_settings, window)
    dialog.language.setCurrentIndex(dialog.language.findData("zh_CN"))
    dialog.save()
    window.sig_language_changed.emit(desk_settings.language)  # what open_settings does after Save
    new = desk.main_window
    assert new is not window and new.session == desk_data.officer
    assert new.screens["lookup"].title.text() == "会员查询"
    assert new.sync_label.text() == "单机运行"
    qtbot.waitUntil(lambda: new.screens["member"].member_no == desk_data.zhang and new.current_key() == "member")
    desk.runner.wait_for_done()
    qtbot.waitUntil(lambda: desk.runner.active_count() == 0)
    assert "auth.sign_out" not in [row.action for row in desk_data.audit_rows()]
    new._closing_for_sign_out = True  # end of test
    new.close()
    new.deleteLater()


def test_the_data_folder_chosen_in_settings_is_where_the_next_start_looks(qapp, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    from loyalty_desk import bootstrap
    from loyalty_desk.ui.settings import DeskSettings

    pointer = tmp_path / "config" / "data-folder.json"
    settings = DeskSettings(QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat), data_folder_pointer=pointer)
    settings.data_folder = tmp_path / "branch-store"
    assert bootstrap.read_data_folder_pointer(pointer) == tmp_path / "branch-store"
    settings.data_folder = None
    assert bootstrap.read_data_folder_pointer(pointer) is None


def test_counts_use_the_languages_plural_forms(qapp):
    install_language(qapp, "en")
    assert QCoreApplication.translate("PendingAdjustmentsPanel", "%Ln pending request(s)", "", 1) == "1 pending request"
    assert QCoreApplication.translate("PendingAdjustmentsPanel", "%Ln pending request(s)", "", 1200) == "1,200 pending requests"
    install_language(qapp, "zh_CN")
    assert QCoreApplication.translate("PendingAdjustmentsPanel", "%Ln pending request(s)", "", 3) == "3 笔待审批申请"
    install_language(qapp, "en")


def test_the_idle_lock_refuses_minutes_out_of_range_at_the_field(qtbot, desk_settings):
    from PySide6.QtWidgets import QDialogButtonBox

    from loyalty_desk.ui.settings_dialog import SettingsDialog

    before = desk_settings.idle_lock_minutes
    dialog = SettingsDialog(desk_settings)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.idle.placeholderText() == "1 to 120"
    dialog.idle.setText("500")
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    # still open, the field says why, nothing saved; the typed value kept to correct
    assert dialog.isVisible() and dialog.result() != dialog.DialogCode.Accepted
    assert dialog.idle_error.isVisible() and dialog.idle_error.text() == "Enter a whole number from 1 to 120."
    assert dialog.idle.text() == "500" and desk_settings.idle_lock_minutes == before
    dialog.idle.setText("30")
    with qtbot.waitSignal(dialog.accepted, timeout=5_000):
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    dialog.save()
    assert desk_settings.idle_lock_minutes == 30
