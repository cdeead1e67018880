"""Help ▸ Keyboard shortcuts lists every key the desk answers to, in the desk's language."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton

from loyalty_desk.ui.shortcuts import ShortcutsDialog


def _every_key_in(window) -> set[str]:
    keys: set[str] = set()
    for action in window.findChildren(QAction):
        keys.update(s.toString(QKeySequence.SequenceFormat.PortableText) for s in action.shortcuts())
    for shortcut in window.findChildren(QShortcut):
        keys.add(shortcut.key().toString(QKeySequence.SequenceFormat.PortableText))
    for button in window.findChildren(QAbstractButton):
        keys.add(button.shortcut().toString(QKeySequence.SequenceFormat.PortableText))
    keys.discard("")
    return keys


def _listed(dialog) -> list[tuple[str, str, str]]:
    return [tuple(dialog.table.item(row, column).text() for column in range(3)) for row in range(dialog.table.rowCount())]


def test_every_shortcut_of_the_window_is_listed_with_what_it_does(qtbot, main_window):
    main_window.shortcuts_action.trigger()
    dialog = main_window.shortcuts_dialog
    qtbot.waitUntil(dialog.isVisible)
    listed_keys = {entry.keys for entry in dialog.entries}
    assert _every_key_in(main_window) <= listed_keys
    rows = _listed(dialog)
    assert ("Ctrl+L", "Lock desk", "Everywhere") in rows
    assert ("F2", "Member lookup", "Everywhere") in rows
    assert any(keys == "F7" and where == "Member" for keys, _what, where in rows)  # a screen's own action
    assert any(keys == "F9" and what == "Choose the receipt printer" and where == "Redemption" for keys, what, where in rows)
    assert [row for row in rows if not row[1]] == [], "every shortcut says what it does"
    dialog.reject()


def test_a_shortcut_added_to_a_screen_appears_without_touching_the_dialog(qtbot, main_window):
    screen = main_window.screens["lookup"]
    extra = QAction("Say hello", screen, shortcut=QKeySequence("Ctrl+Alt+H"))
    screen.addAction(extra)
    dialog = ShortcutsDialog(main_window)
    qtbot.addWidget(dialog)
    assert ("Ctrl+Alt+H", "Say hello", "Member lookup") in _listed(dialog)


def test_shortcuts_are_listed_in_chinese(qtbot, qapp, desk_data, runner, desk_settings):
    from loyalty_desk.ui.app import install_language
    from loyalty_desk.ui.main_window import MainWindow
    from loyalty_desk.ui.registry import default_registry

    install_language(qapp, "zh_CN")
    desk_settings.language = "zh_CN"
    window = MainWindow(desk_data.services, desk_data.officer, runner, desk_settings, default_registry())
    qtbot.addWidget(window)
    assert window.shortcuts_action.text().replace("&", "").startswith("键盘快捷键")
    assert any(what == "锁屏" for _keys, what, _where in _listed(ShortcutsDialog(window)))
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "键盘快捷键"
    rows = _listed(dialog)
    assert any(keys == "Ctrl+L" and where == "全局" for keys, _what, where in rows)
    assert any(keys == "F9" and what == "选择收据打印机" for keys, what, _where in rows)


def test_button_shortcuts_still_work_after_the_texts_are_set(qtbot, main_window):
    from PySide6.QtCore import Qt

    from loyalty_desk.ui.widgets import KeyedButton

    keyed = main_window.findChildren(KeyedButton)
    assert keyed
    for button in keyed:  # every screen's texts were set (retranslate) after the buttons were made
        assert button.shortcut() == button.keys, button.text()
    main_window.retranslate()
    assert all(button.shortcut() == button.keys for button in keyed)
    # F5 reads the referrals list again
    screen = main_window.screens["referrals"]
    with qtbot.waitSignal(screen.sig_loaded, timeout=10_000):
        main_window.navigate("referrals")
    with qtbot.waitSignal(screen.sig_loaded, timeout=10_000):
        qtbot.keyClick(screen, Qt.Key.Key_F5)
