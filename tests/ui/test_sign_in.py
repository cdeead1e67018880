"""Signing in at the desk: good and bad passwords, the lockout after five failures, the audit rows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from ui_support import PASSWORD, audit_actions

from loyalty_desk.ui.signin import SignInPage


def _page(qtbot, desk_data, runner):
    page = SignInPage(desk_data.services, runner)
    qtbot.addWidget(page)
    page.show()
    return page


def _attempt(qtbot, page, username, password):
    page.username.clear()
    page.password.clear()
    qtbot.keyClicks(page.username, username)
    qtbot.keyClicks(page.password, password)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)


def _fail(qtbot, page, username, password):
    _attempt(qtbot, page, username, password)
    qtbot.waitUntil(lambda: not page.is_busy() and page.error.isVisibleTo(page))
    return page.error.text()


def test_good_password_signs_in_and_is_audited(qtbot, desk_data, runner):
    page = _page(qtbot, desk_data, runner)
    with qtbot.waitSignal(page.sig_signed_in) as signed_in:
        _attempt(qtbot, page, "officer1", PASSWORD)
    session = signed_in.args[0]
    assert (session.username, session.role, session.branch_code) == ("officer1", "officer", "BJ01")
    assert session.display_name == "李娜"
    assert "auth.sign_in" in audit_actions(desk_data)


def test_wrong_password_says_so_and_keeps_the_page(qtbot, desk_data, runner):
    page = _page(qtbot, desk_data, runner)
    assert _fail(qtbot, page, "officer1", "wrong-password") == "Wrong username or password."
    assert page.password.text() == ""  # cleared for the next try
    assert _fail(qtbot, page, "nobody", "whatever") == "Wrong username or password."
    failures = list(desk_data.audit_rows("auth.sign_in_failed"))
    assert [row.details["reason"] for row in failures] == ["bad_password", "unknown_user"]


def test_five_failures_lock_the_account_for_fifteen_minutes(qtbot, desk_data, runner):
    page = _page(qtbot, desk_data, runner)
    for _ in range(4):
        assert _fail(qtbot, page, "officer1", "bad") == "Wrong username or password."
    fifth = _fail(qtbot, page, "officer1", "bad")
    assert "locked" in fifth
    # Even the right password is refused while the lock lasts.
    assert "locked" in _fail(qtbot, page, "officer1", PASSWORD)
    assert "auth.account_locked" in audit_actions(desk_data)

    desk_data.store.clock.advance(minutes=16)
    with qtbot.waitSignal(page.sig_signed_in):
        _attempt(qtbot, page, "officer1", PASSWORD)


def test_empty_fields_are_refused_without_asking_the_store(qtbot, desk_data, runner):
    page = _page(qtbot, desk_data, runner)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    assert page.error.text() == "Enter your username and password."
    assert runner.active_count() == 0


def test_the_sign_in_window_shows_before_the_store_is_open(qtbot, desk_data, desk_settings):
    """run(factory): the window is up at once; a sign-in typed meanwhile goes through once the store opens."""
    import threading

    from loyalty_desk.ui.app import Desk

    release = threading.Event()

    def build_services():
        release.wait(10)  # the store takes its time to open
        return desk_data.services

    desk = Desk(build_services, desk_settings)
    desk.start()
    page = desk.sign_in_page
    assert page.isVisible() and desk.services is None
    qtbot.keyClicks(page.username, "officer1")
    qtbot.keyClicks(page.password, PASSWORD)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    assert page.footer.text() == "Opening the store…"
    release.set()
    qtbot.waitUntil(lambda: desk.main_window is not None, timeout=10_000)
    assert desk.main_window.session.username == "officer1"
    desk.main_window._closing_for_sign_out = True  # end of test, no sign-out row needed
    desk.main_window.close()
    desk.main_window.deleteLater()
    desk.runner.wait_for_done()
    qtbot.waitUntil(lambda: desk.runner.active_count() == 0)


def test_enter_in_an_empty_username_says_what_is_missing(qtbot, desk_data, runner):
    page = _page(qtbot, desk_data, runner)
    qtbot.keyClick(page.username, Qt.Key.Key_Return)
    assert page.error.isVisibleTo(page)
    assert page.error.text() == "Enter your username and password."
    assert runner.active_count() == 0
