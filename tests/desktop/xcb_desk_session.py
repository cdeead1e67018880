"""The desk on a real X display, from its command-line entry point, driven with the keyboard.

Not collected by ``./dev test`` itself (no ``test_`` prefix): ``test_desktop_smoke.py`` runs it with
pytest in a process of its own, with ``QT_QPA_PLATFORM=xcb`` and ``DISPLAY`` naming the Xvfb it
started, because a process's Qt platform is fixed when its QApplication is made.
"""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

WAIT_MS = 60_000


def _visible(class_name: str) -> Any:
    for widget in QApplication.topLevelWidgets():
        if type(widget).__name__ == class_name and widget.isVisible():
            return widget
    return None


def test_sign_in_look_up_open_a_member_and_quit(qtbot: Any, qapp: Any) -> None:
    data_dir = os.environ["SMOKE_DATA_DIR"]
    username, password = os.environ["SMOKE_USER"], os.environ["SMOKE_PASSWORD"]
    query, member_no, balance = os.environ["SMOKE_QUERY"], os.environ["SMOKE_MEMBER_NO"], int(os.environ["SMOKE_BALANCE"])
    screenshot = os.environ["SMOKE_SCREENSHOT"]
    assert QGuiApplication.platformName() == "xcb"
    failures: list[BaseException] = []
    done: list[str] = []

    def typed(text: str) -> None:
        QTest.keyClicks(QApplication.focusWidget(), text)

    def key(k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        QTest.keyClick(QApplication.focusWidget(), k, modifier)

    def drive() -> None:
        try:
            qtbot.waitUntil(lambda: _visible("SignInPage") is not None, timeout=WAIT_MS)
            page = _visible("SignInPage")
            page.activateWindow()  # what a window manager does with a new window; bare Xvfb has none
            qtbot.waitUntil(lambda: QApplication.focusWidget() is page.username, timeout=WAIT_MS)
            typed(username)
            key(Qt.Key.Key_Tab)
            typed(password)
            key(Qt.Key.Key_Return)
            done.append("signed in")

            qtbot.waitUntil(lambda: _visible("MainWindow") is not None, timeout=WAIT_MS)
            window = _visible("MainWindow")
            window.activateWindow()
            lookup, member = window.screens["lookup"], window.screens["member"]
            qtbot.waitUntil(lambda: QApplication.focusWidget() is lookup.search, timeout=WAIT_MS)
            typed(query)
            qtbot.waitUntil(lambda: lookup.result is not None and lookup.result.query == query, timeout=WAIT_MS)
            done.append("looked up")
            key(Qt.Key.Key_Down)  # many matches: the first row, chosen
            key(Qt.Key.Key_Return)
            qtbot.waitUntil(lambda: member.view is not None and member.view.member_no == member_no, timeout=WAIT_MS)
            qtbot.waitUntil(lambda: member.history_model.rowCount() > 0, timeout=WAIT_MS)
            assert window.current_key() == "member"
            assert member.t_available.value.text().replace(",", "") == str(balance)
            done.append("member opened")

            # one icon set: the xcb platform would put its stock pictures on dialog buttons
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, window)
            assert [button.icon().isNull() for button in buttons.buttons()] == [True, True]
            buttons.deleteLater()

            # the layout has caught up with the texts just set, and the X server has what Qt painted
            labels = (member.name, member.tier_badge, member.status_badge, member.tier_next, member.referral_code)
            qtbot.waitUntil(lambda: all(label.width() >= label.sizeHint().width() for label in labels), timeout=WAIT_MS)
            QApplication.processEvents()
            QGuiApplication.sync()
            image = QGuiApplication.primaryScreen().grabWindow(0)  # the X server's root window: what is on the display
            assert image.save(screenshot, "PNG")
            key(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
            done.append("quit")
        except BaseException as error:  # reported after the event loop ends
            failures.append(error)
            for widget in QApplication.topLevelWidgets():
                widget.close()
            QApplication.quit()

    QTimer.singleShot(0, drive)
    from loyalty_desk.cli.main import main

    code = main(["--data-dir", data_dir])  # the real entry point: sign-in window, store opened on a worker, the desk
    if failures:
        raise failures[0]
    assert done == ["signed in", "looked up", "member opened", "quit"]
    assert code == 0
