"""The idle lock: nothing on screen is lost; only the same user, or a supervisor, opens it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from ui_support import PASSWORD, audit_actions


def _go_idle(window):
    assert window.idle.timer.isActive()
    window.idle.timer.timeout.emit()  # what the idle timer does after the configured minutes


def _unlock(qtbot, window, username, password):
    page = window.lock_page
    page.username.clear()
    qtbot.keyClicks(page.username, username)
    qtbot.keyClicks(page.password, password)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)


def test_idle_interval_comes_from_the_settings(main_window, desk_settings):
    assert main_window.idle.timer.interval() == desk_settings.idle_lock_minutes * 60_000
    desk_settings.idle_lock_minutes = 2
    main_window.idle.set_minutes(desk_settings.idle_lock_minutes)
    assert main_window.idle.timer.interval() == 120_000


def test_idle_locks_and_the_same_user_unlocks_with_the_screen_intact(qtbot, main_window, desk_data):
    lookup = main_window.screens["lookup"]
    qtbot.keyClicks(lookup.search, desk_data.zhang)
    qtbot.waitUntil(lambda: lookup.result is not None and lookup.result.total == 1)

    with qtbot.waitSignal(main_window.sig_locked):
        _go_idle(main_window)
    assert main_window.pages.currentWidget() is main_window.lock_page
    assert not main_window.menuBar().isEnabled()
    assert main_window.lock_page.username.text() == "officer1"

    with qtbot.waitSignal(main_window.sig_unlocked):
        _unlock(qtbot, main_window, "officer1", PASSWORD)
    assert main_window.pages.currentWidget() is main_window.workspace
    assert lookup.search.text() == desk_data.zhang  # what was on screen is still there
    assert lookup.model.rowCount() == 1
    assert main_window.idle.timer.isActive()
    qtbot.waitUntil(lambda: "auth.unlock" in audit_actions(desk_data))
    assert "auth.lock" in audit_actions(desk_data)


def test_wrong_password_keeps_the_desk_locked(qtbot, main_window):
    main_window.lock()
    _unlock(qtbot, main_window, "officer1", "not-it")
    qtbot.waitUntil(lambda: main_window.lock_page.error.isVisibleTo(main_window.lock_page))
    assert main_window.lock_page.error.text() == "Wrong username or password."
    assert main_window.locked


def test_another_officer_cannot_unlock(qtbot, main_window):
    main_window.lock()
    _unlock(qtbot, main_window, "officer2", PASSWORD)
    qtbot.waitUntil(lambda: main_window.lock_page.error.isVisibleTo(main_window.lock_page))
    assert "Only officer1 or a supervisor" in main_window.lock_page.error.text()
    assert main_window.locked


def test_a_supervisor_unlocks_and_signs_the_officer_out(qtbot, main_window, desk_data):
    main_window.lock()
    with qtbot.waitSignal(main_window.sig_session_replaced) as replaced:
        _unlock(qtbot, main_window, "super1", PASSWORD)
    session = replaced.args[0]
    assert (session.username, session.role) == ("super1", "supervisor")
    sign_outs = desk_data.audit_rows("auth.sign_out")
    assert [(row.actor, row.details) for row in sign_outs] == [("officer1", {"forced_by": "super1"})]
    unlock = desk_data.audit_rows("auth.unlock")[-1]
    assert (unlock.actor, unlock.details) == ("super1", {"signed_out": "officer1"})


def test_the_desk_controller_swaps_in_the_supervisor_window(qtbot, desk_data, desk_settings):
    from loyalty_desk.ui.app import Desk

    desk = Desk(desk_data.services, desk_settings)
    desk.show_sign_in()
    page = desk.sign_in_page
    qtbot.keyClicks(page.username, "officer1")
    qtbot.keyClicks(page.password, PASSWORD)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.main_window is not None)
    first = desk.main_window
    lookup = first.screens["lookup"]
    assert first.focusWidget() is lookup.search  # the box has the keyboard
    first.lock()
    _unlock(qtbot, first, "super1", PASSWORD)
    qtbot.waitUntil(lambda: desk.main_window is not first)
    assert desk.main_window.session.username == "super1"
    desk.main_window.sign_out()
    assert desk.main_window is None and desk.sign_in_page is not None
    desk.sign_in_page.close()
    desk.sign_in_page.deleteLater()
    desk.runner.wait_for_done()
    qtbot.waitUntil(lambda: desk.runner.active_count() == 0)
