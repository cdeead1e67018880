"""A password set by an administrator must be changed at the next sign-in, before anything else."""

from __future__ import annotations

import pytest
from factories import add_staff
from PySide6.QtCore import Qt
from ui_support import audit_actions

from loyalty_desk.domain.errors import DomainError

TEMPORARY = "Temp2026x"
CHOSEN = "Mine2026ok"


@pytest.fixture
def reset_officer(desk_data):
    admin = add_staff(desk_data.store.context, username="admin1", role="admin", branch_code="BJ01")
    desk_data.services.staff_admin.reset_password(session=admin, username="officer1", new_password=TEMPORARY)
    return desk_data


@pytest.fixture
def desk(qtbot, reset_officer, desk_settings):
    from loyalty_desk.ui.app import Desk

    desk = Desk(reset_officer.services, desk_settings)
    desk.start()
    yield desk
    if desk.main_window is not None:
        desk.main_window._closing_for_sign_out = True  # end of test, no sign-out row needed
        desk.main_window.close()
        desk.main_window.deleteLater()
    for page in (desk.sign_in_page, desk.password_page):
        if page is not None:
            page.close()
            page.deleteLater()
    desk.runner.wait_for_done()
    qtbot.waitUntil(lambda: desk.runner.active_count() == 0)


def _sign_in(qtbot, desk, password):
    page = desk.sign_in_page
    page.username.setText("officer1")
    page.password.clear()
    qtbot.keyClicks(page.password, password)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.password_page is not None or desk.main_window is not None)


def _try(qtbot, page, current, new, repeat):
    for edit, text in ((page.current, current), (page.new, new), (page.repeat, repeat)):
        edit.clear()
        qtbot.keyClicks(edit, text)
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not page.is_busy())
    return page.error.text() if page.error.isVisibleTo(page) else ""


def test_a_reset_password_must_be_changed_before_the_desk_opens(qtbot, desk, reset_officer):
    _sign_in(qtbot, desk, TEMPORARY)
    page = desk.password_page
    assert page is not None and desk.main_window is None  # nothing else first
    assert page.isVisible() and page.current.hasFocus()

    assert _try(qtbot, page, TEMPORARY, CHOSEN, CHOSEN + "!") == "The two new passwords are not the same."
    assert _try(qtbot, page, TEMPORARY, "short1", "short1") == "New password: at least 8 characters, with both letters and digits."
    assert _try(qtbot, page, TEMPORARY, "onlyletters", "onlyletters") == "New password: at least 8 characters, with both letters and digits."
    assert _try(qtbot, page, TEMPORARY, TEMPORARY, TEMPORARY) == "New password: choose a password different from the current one."
    assert _try(qtbot, page, "Wrong2026x", CHOSEN, CHOSEN) == "Wrong username or password."
    assert desk.main_window is None

    for edit, text in ((page.current, TEMPORARY), (page.new, CHOSEN), (page.repeat, CHOSEN)):
        edit.clear()
        qtbot.keyClicks(edit, text)
    with qtbot.waitSignal(page.sig_changed):
        qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.main_window is not None)
    assert desk.main_window.session.must_change_password is False
    assert desk.password_page is None
    assert "auth.password_changed" in audit_actions(reset_officer)

    # The new password is the one that works now, and it is not asked for again.
    session = reset_officer.services.auth.sign_in(username="officer1", password=CHOSEN)
    assert session.must_change_password is False
    with pytest.raises(DomainError) as refused:
        reset_officer.services.auth.sign_in(username="officer1", password=TEMPORARY)
    assert refused.value.code == "auth.invalid_credentials"


def test_escape_signs_out_and_the_change_is_asked_again(qtbot, desk, reset_officer):
    _sign_in(qtbot, desk, TEMPORARY)
    page = desk.password_page
    qtbot.keyClick(page.current, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: desk.sign_in_page is not None and desk.sign_in_page.isVisible())
    assert desk.password_page is None and desk.main_window is None
    desk.runner.wait_for_done()
    qtbot.waitUntil(lambda: desk.runner.active_count() == 0)
    assert audit_actions(reset_officer)[-1] == "auth.sign_out"

    _sign_in(qtbot, desk, TEMPORARY)
    assert desk.password_page is not None and desk.main_window is None


def test_the_service_checks_the_policy_before_the_store(reset_officer):
    auth = reset_officer.services.auth
    for new, code in (("abc12", "auth.password_policy"), ("12345678", "auth.password_policy"), (TEMPORARY, "auth.password_reused")):
        with pytest.raises(DomainError) as refused:
            auth.change_password(username="officer1", old_password=TEMPORARY, new_password=new)
        assert refused.value.code == code
    assert "auth.password_changed" not in audit_actions(reset_officer)
    session = auth.change_password(username="officer1", old_password=TEMPORARY, new_password=CHOSEN)
    assert session.must_change_password is False
