"""Enrolling a walk-in client from the lookup: Ctrl+Shift+N, and the form offered when nothing matches
(filled with the searched text); bad input in every field refused at the field naming the rule, all at
once, nothing written; an identity another member holds refused naming that member; the new member opens."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text
from ui_support import mobile_for, type_text

from loyalty_desk.domain.identity import make_resident_id
from loyalty_desk.ui.shortcuts import collect_shortcuts

NEW_ID = make_resident_id("110105", date(1990, 3, 7), 123)
SHIFT_CTRL = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def lookup(main_window):
    return main_window.screens["lookup"]


def _open_form(qtbot, lookup):
    qtbot.keyClick(lookup.search, Qt.Key.Key_N, SHIFT_CTRL)
    qtbot.waitUntil(lambda: lookup.enrol_dialog is not None)
    return lookup.enrol_dialog


def _members(desk_data) -> int:
    with desk_data.store.context.uow() as uow:
        return uow.ledger.session.execute(text("SELECT count(*) FROM member")).scalar_one()


def _errors(dialog) -> dict[str, str]:
    return {name: label.text() for name, label in dialog.errors.items() if label.isVisibleTo(dialog)}


def test_bad_input_in_every_field_is_refused_at_the_field_all_at_once_and_nothing_is_written(qtbot, lookup, desk_data):
    dialog = _open_form(qtbot, lookup)
    assert dialog.objectName() == "EnrolDialog" and dialog.isVisible()
    members = _members(desk_data)
    # Enrol with nothing typed: every required field says so at once
    with qtbot.waitSignal(dialog.sig_checked, timeout=10_000):
        dialog.submit_button.click()
    errors = _errors(dialog)
    assert set(errors) == {"name", "id_number", "mobile"}
    assert all("is required" in text for text in errors.values())

    bad = {"name": "张3", "id_number": "110105199003071234", "mobile": "2380000", "card_no": "1234 5678 9012 3456",
           "address": "=HYPERLINK(\"x\")", "code": "ABCD"}
    for name, typed in bad.items():
        dialog.fields[name].clear()
        type_text(qtbot, dialog.fields[name], typed)
    with qtbot.waitSignal(dialog.sig_checked, timeout=10_000):
        dialog.submit_button.click()
    errors = _errors(dialog)
    assert set(errors) == set(bad)
    assert "check" in errors["id_number"].lower() and "check" in errors["card_no"].lower()
    assert "11 digits starting with 1" in errors["mobile"]
    assert dialog.isVisible() and dialog.fields["address"].text() == bad["address"]  # the form keeps what was typed
    assert _members(desk_data) == members and desk_data.audit_rows("member.create") == []
    dialog.reject()


def test_an_identity_another_member_holds_is_refused_naming_the_member(qtbot, lookup, desk_data):
    dialog = _open_form(qtbot, lookup)
    type_text(qtbot, dialog.name, "刘洋")
    type_text(qtbot, dialog.id_number, NEW_ID)
    with qtbot.waitSignal(dialog.sig_checked, timeout=10_000):
        type_text(qtbot, dialog.mobile, mobile_for(desk_data.serials["wang"]))
    qtbot.waitUntil(lambda: "mobile" in _errors(dialog))
    assert f"already held by member {desk_data.wang}" in _errors(dialog)["mobile"]
    with qtbot.waitSignal(dialog.sig_checked, timeout=10_000):
        dialog.submit_button.click()
    assert dialog.isVisible() and desk_data.audit_rows("member.create") == []
    dialog.reject()


def test_nothing_found_offers_the_form_with_the_mobile_searched_and_the_new_member_opens(qtbot, main_window, lookup, desk_data):
    type_text(qtbot, lookup.search, "13766667777")
    qtbot.waitUntil(lambda: lookup.result is not None and lookup.result.query == "13766667777", timeout=10_000)
    assert lookup.result.total == 0 and "Enrol new member… (Ctrl+Shift+N)" in lookup.banner.text()
    dialog = _open_form(qtbot, lookup)
    assert dialog.mobile.text() == "13766667777"
    type_text(qtbot, dialog.name, "刘洋")
    type_text(qtbot, dialog.id_number, NEW_ID)
    member = main_window.screens["member"]
    with qtbot.waitSignal(member.sig_loaded, timeout=10_000):
        dialog.submit_button.click()
    assert main_window.current_key() == "member"
    assert member.view.name == "刘洋" and member.view.masked_mobile == "137****7777"
    [row] = desk_data.audit_rows("member.create")
    assert (row.actor, row.member_no, row.details["via"]) == ("officer1", member.view.member_no, "desk")


def test_the_enrol_shortcut_is_listed_in_help(lookup, main_window):
    listed = {(entry.keys, entry.what) for entry in collect_shortcuts(main_window)}
    assert ("Ctrl+Shift+N", "Enrol new member") in listed
