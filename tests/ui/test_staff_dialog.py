"""The new-staff dialog checks the display name against the identity-name rules at its field
and stays open with what was typed."""

from __future__ import annotations

from factories import add_staff
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from ui_support import type_text

from loyalty_desk.ui.screens.staff_admin import NewStaffDialog


def test_a_name_with_markup_is_refused_at_the_field_and_the_form_stays(qtbot):
    dialog = NewStaffDialog((("BJ01", "北京分行", "Beijing Branch"),), "en")
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(qtbot, dialog.username, "wei.zhang")
    dialog.display_name.setText("<b>Zhang Wei</b>")
    type_text(qtbot, dialog.password, "Correct-Horse-8")
    create = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    create.click()
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.errors["display_name"].isVisible()
    assert dialog.errors["display_name"].text() == "Name may not contain the markup character < (position 1)."
    assert dialog.values()["username"] == "wei.zhang" and dialog.values()["initial_password"] == "Correct-Horse-8"

    dialog.display_name.setFocus()
    dialog.display_name.selectAll()
    type_text(qtbot, dialog.display_name, "Zhang Wei")
    assert not dialog.errors["display_name"].isVisible()
    create.click()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.values()["display_name"] == "Zhang Wei"


def _creating_dialog(qtbot, desk_data, runner, admin):
    def submit(values, on_done, on_error):
        runner.write(desk_data.services.staff_admin.create, session=admin, **values, on_result=on_done, on_error=on_error)

    dialog = NewStaffDialog((("BJ01", "北京分行", "Beijing Branch"),), "en", submit=submit)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_weak_password_keeps_the_dialog_open_with_every_error_at_its_field(qtbot, desk_data, runner):
    admin = add_staff(desk_data.store.context, username="admin1", role="admin", branch_code="BJ01")
    dialog = _creating_dialog(qtbot, desk_data, runner, admin)
    type_text(qtbot, dialog.username, "Wei Zhang")
    type_text(qtbot, dialog.display_name, "Zhang Wei")
    type_text(qtbot, dialog.password, "short")
    dialog.create_button.click()
    assert dialog.isVisible() and runner.active_count() == 0
    assert dialog.errors["username"].isVisible() and "lower-case" in dialog.errors["username"].text()
    assert dialog.errors["initial_password"].text() == "At least 8 characters, with letters and digits."
    assert "initial_password" not in dialog.errors["initial_password"].text()
    assert dialog.username.text() == "Wei Zhang" and dialog.display_name.text() == "Zhang Wei"


def test_a_refusal_by_the_store_is_shown_at_the_field_and_the_dialog_stays(qtbot, desk_data, runner):
    admin = add_staff(desk_data.store.context, username="admin1", role="admin", branch_code="BJ01")
    dialog = _creating_dialog(qtbot, desk_data, runner, admin)
    type_text(qtbot, dialog.username, "officer1")  # already taken
    type_text(qtbot, dialog.display_name, "Zhang Wei")
    type_text(qtbot, dialog.password, "Correct-Horse-8")
    dialog.create_button.click()
    qtbot.waitUntil(lambda: dialog.errors["username"].isVisible(), timeout=10_000)
    assert "officer1" in dialog.errors["username"].text() and dialog.isVisible()
    dialog.username.selectAll()
    type_text(qtbot, dialog.username, "wei.zhang")
    dialog.create_button.click()
    qtbot.waitUntil(lambda: dialog.created is not None, timeout=10_000)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.created.username == "wei.zhang"
