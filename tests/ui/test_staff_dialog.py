"""The new-staff dialog checks the display name against the identity-name rules at its field
and stays open with what was typed."""

from __future__ import annotations

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
    assert dialog.name_error.isVisible()
    assert dialog.name_error.text() == "Name may not contain the markup character < (position 1)."
    assert dialog.values()["username"] == "wei.zhang" and dialog.values()["initial_password"] == "Correct-Horse-8"

    dialog.display_name.setFocus()
    dialog.display_name.selectAll()
    type_text(qtbot, dialog.display_name, "Zhang Wei")
    assert not dialog.name_error.isVisible()
    create.click()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.values()["display_name"] == "Zhang Wei"
