"""Referrals on the desk: a registration from the member view checked as the officer
types, a refused self-referral showing its reason, and a supervisor clearing a flagged referral."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from ui_support import audit_actions, type_text

from loyalty_desk.domain.identity import make_resident_id


@pytest.fixture
def codes(desk_data) -> dict[str, str]:
    """Every demo member gets their referral code (as the sweep does for members made before codes)."""
    desk_data.services.referrals.assign_missing_codes()
    with desk_data.store.context.uow() as uow:
        return {no: uow.members.by_no(no).referral_code for no in (desk_data.zhang, desk_data.wang)}


def open_referral_form(qtbot, window, member_no: str) -> Any:
    member = window.screens["member"]
    with qtbot.waitSignal(member.sig_loaded, timeout=10_000):
        window.navigate("member", member_no=member_no)
    panel = member.referrals_panel
    qtbot.waitUntil(lambda: panel.data is not None and panel.data.member_no == member_no, timeout=10_000)
    assert member.referral_code.text().startswith("Referral code ")
    qtbot.keyClick(member, Qt.Key.Key_F12)  # the button's shortcut (an animated click)
    qtbot.waitUntil(lambda: member.referral_dialog is not None, timeout=10_000)
    dialog = member.referral_dialog
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.referrer_line.text() != "", timeout=10_000)
    return dialog


def fill(qtbot, dialog, *, name: str, id_number: str, mobile: str, address: str) -> None:
    for widget, text in ((dialog.name, name), (dialog.id_number, id_number), (dialog.mobile, mobile), (dialog.address, address)):
        widget.setFocus()
        type_text(qtbot, widget, text)


def test_registering_a_referral_from_the_member_view(qtbot, main_window, desk_data, codes):
    dialog = open_referral_form(qtbot, main_window, desk_data.zhang)
    assert dialog.code.text().replace(" ", "") == codes[desk_data.zhang]
    assert desk_data.zhang in dialog.referrer_line.text()
    # a wrong ID check digit is reported under the ID as it is typed
    body = make_resident_id("310104", __import__("datetime").date(1990, 5, 17), 123)
    wrong = body[:-1] + ("0" if body[-1] != "0" else "1")
    fill(qtbot, dialog, name="孙丽", id_number=wrong, mobile="15800001234", address="上海市徐汇区漕溪北路12号3栋1单元502室")
    qtbot.waitUntil(lambda: dialog.errors["id_number"].isVisible(), timeout=10_000)
    assert "check digit" in dialog.errors["id_number"].text()
    dialog.id_number.setFocus()
    qtbot.keyClick(dialog.id_number, Qt.Key.Key_Backspace)
    type_text(qtbot, dialog.id_number, body[-1])
    qtbot.waitUntil(lambda: not any(label.isVisible() for label in dialog.errors.values()), timeout=10_000)

    with qtbot.waitSignal(dialog.sig_registered, timeout=10_000) as registered:
        qtbot.keyClick(dialog.address, Qt.Key.Key_Return)
    outcome = registered.args[0]
    assert outcome.status == "registered" and outcome.referrer_no == desk_data.zhang
    assert outcome.referee_no in dialog.done_text.text()
    member = main_window.screens["member"]
    qtbot.waitUntil(lambda: len(member.referrals_panel.data.made) == 1, timeout=10_000)
    tree = member.referrals_panel.model
    assert tree.rowCount() == 1 and outcome.referee_no in tree.item(0, 0).text()
    assert "referral.register" in audit_actions(desk_data)
    # "Open the new member" goes to the referee
    with qtbot.waitSignal(member.sig_loaded, timeout=10_000):
        qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert member.member_no == outcome.referee_no


def test_a_self_referral_is_refused_with_its_reason(qtbot, main_window, desk_data, codes):
    with desk_data.store.context.uow() as uow:
        own_mobile = uow.members.by_no(desk_data.zhang).mobile
    dialog = open_referral_form(qtbot, main_window, desk_data.zhang)
    body = make_resident_id("310104", __import__("datetime").date(1991, 2, 3), 45)
    fill(qtbot, dialog, name="张小伟", id_number=body, mobile=own_mobile, address="北京市海淀区中关村大街1号")
    qtbot.waitUntil(lambda: dialog.errors["mobile"].isVisible(), timeout=10_000)
    assert dialog.errors["mobile"].text() == f"Same Mobile as the referrer {desk_data.zhang}: a member cannot refer themself."
    with qtbot.waitSignal(dialog.sig_checked, timeout=10_000):
        qtbot.keyClick(dialog.address, Qt.Key.Key_Return)  # refused again, with the reason at the field
    assert dialog.outcome is None
    assert dialog.errors["mobile"].isVisible() and dialog.submit_button.isEnabled()
    dialog.reject()


def test_a_supervisor_clears_a_flagged_referral(qtbot, desk_data, codes, runner, desk_settings):
    from loyalty_desk.ui.main_window import MainWindow
    from loyalty_desk.ui.registry import default_registry

    service = desk_data.services.referrals
    with desk_data.store.context.uow() as uow:
        zhang_mobile = uow.members.by_no(desk_data.zhang).mobile
    # same number block as the referrer, last 4 digits varied: flagged
    flagged = service.register(operation_id=service.new_operation_id(), session=desk_data.officer, code=codes[desk_data.zhang],
                               name="周杰", id_type="resident_id",
                               id_number=make_resident_id("310104", __import__("datetime").date(1988, 8, 8), 8),
                               mobile=zhang_mobile[:7] + "9876", address="上海市静安区南京西路1号")
    assert flagged.status == "flagged"

    window = MainWindow(desk_data.services, desk_data.supervisor, runner, desk_settings, default_registry())
    qtbot.addWidget(window)
    window.show()
    window.start()
    screen = window.screens["referrals_flagged"]
    qtbot.waitUntil(lambda: len(screen.items) == 1, timeout=10_000)
    window.navigate("referrals_flagged")
    assert flagged.referee_no in screen.model.index(0, 2).data()
    assert "number block" in screen.reasons.text()
    qtbot.mouseClick(screen.reject_button, Qt.MouseButton.LeftButton)  # a note first, and it says so
    assert screen.note_error.isVisible() and "note" in screen.note_error.text()
    assert screen.selected() is not None and screen.note.hasFocus()
    screen.note.setFocus()
    type_text(qtbot, screen.note, "Checked ID in person; company phone plan")
    assert screen.clear_button.isEnabled()
    with qtbot.waitSignal(screen.sig_decided, timeout=10_000) as decided:
        qtbot.mouseClick(screen.clear_button, Qt.MouseButton.LeftButton)
    assert decided.args[0].status == "registered"
    qtbot.waitUntil(lambda: len(screen.items) == 0, timeout=10_000)
    assert "registered" in screen.banner.text().lower()
    assert service.get(referral=flagged.operation_id).decided_by == "super1"
    assert "referral.clear" in audit_actions(desk_data)
    window.idle.stop()
    window._closing_for_sign_out = True
    window.close()


def retype(qtbot, widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Backspace)
    type_text(qtbot, widget, text)


def test_a_hostile_name_is_refused_at_the_name_field(qtbot, main_window, desk_data, codes):
    dialog = open_referral_form(qtbot, main_window, desk_data.zhang)
    body = make_resident_id("310104", __import__("datetime").date(1992, 4, 5), 67)
    fill(qtbot, dialog, name="Robert", id_number=body, mobile="15800004321", address="上海市徐汇区漕溪北路12号")
    retype(qtbot, dialog.name, "Robert'); DROP TABLE member;--😀")
    qtbot.waitUntil(lambda: dialog.errors["name"].isVisible(), timeout=10_000)
    assert dialog.errors["name"].text() == "Name may not contain the markup character ; (position 9)."
    with qtbot.waitSignal(dialog.sig_checked, timeout=10_000):
        qtbot.keyClick(dialog.address, Qt.Key.Key_Return)  # refused, the reason stays at the name
    assert dialog.outcome is None and dialog.errors["name"].isVisible()
    retype(qtbot, dialog.name, '=HYPERLINK("http://example.com")')
    qtbot.waitUntil(lambda: "formula" in dialog.errors["name"].text(), timeout=10_000)
    retype(qtbot, dialog.name, "Robert O'Neil")
    qtbot.waitUntil(lambda: not dialog.errors["name"].isVisible(), timeout=10_000)
    dialog.reject()


def test_register_on_an_empty_form_shows_every_missing_field_at_once(qtbot, main_window, desk_data, codes):
    dialog = open_referral_form(qtbot, main_window, desk_data.zhang)
    type_text(qtbot, dialog.mobile, "158")
    assert dialog.submit_button.isEnabled()
    with qtbot.waitSignal(dialog.sig_checked, timeout=10_000):
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.submit_button.isEnabled(), timeout=10_000)
    assert dialog.outcome is None
    shown = {name for name, label in dialog.errors.items() if label.isVisible() and label.text()}
    assert {"name", "id_number", "mobile"} <= shown
    assert dialog.mobile.text() == "158"  # what was typed stays
    assert dialog.name.hasFocus()


def test_a_field_keeps_its_height_when_its_error_appears(qtbot, main_window, desk_data, codes):
    dialog = open_referral_form(qtbot, main_window, desk_data.zhang)
    height = dialog.mobile.height()
    with qtbot.waitSignal(dialog.sig_checked, timeout=10_000):
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.errors["mobile"].isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: dialog.mobile.height() >= height, timeout=2_000)
    assert dialog.mobile.height() >= dialog.mobile.sizeHint().height()


def test_a_long_address_is_kept_whole_and_refused_at_its_field_with_a_counter(qtbot, main_window, desk_data, codes):
    dialog = open_referral_form(qtbot, main_window, desk_data.zhang)
    body = make_resident_id("310104", __import__("datetime").date(1991, 2, 3), 45)
    fill(qtbot, dialog, name="孙丽", id_number=body, mobile="15800006789", address="上海市")
    address = "上海市徐汇区漕溪北路" * 21  # 210 characters
    dialog.address.setText(address)
    assert dialog.address.text() == address  # nothing cut
    assert dialog.address.counter.text() == "210 / 200" and dialog.address.problem()
    with qtbot.waitSignal(dialog.sig_checked, timeout=10_000):
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.errors["address"].isVisible(), timeout=10_000)
    assert "200" in dialog.errors["address"].text()
    assert dialog.outcome is None and dialog.address.text() == address
    dialog.reject()


def test_a_decision_note_over_its_limit_is_refused_at_the_note_and_kept(qtbot, desk_data, codes, runner, desk_settings):
    from loyalty_desk.domain.referrals import DECISION_NOTE_MAXIMUM
    from loyalty_desk.ui.main_window import MainWindow
    from loyalty_desk.ui.registry import default_registry

    service = desk_data.services.referrals
    with desk_data.store.context.uow() as uow:
        zhang_mobile = uow.members.by_no(desk_data.zhang).mobile
    service.register(operation_id=service.new_operation_id(), session=desk_data.officer, code=codes[desk_data.zhang],
                     name="周杰", id_type="resident_id", id_number=make_resident_id("310104", __import__("datetime").date(1988, 8, 8), 8),
                     mobile=zhang_mobile[:7] + "9876", address="上海市静安区南京西路1号")
    window = MainWindow(desk_data.services, desk_data.supervisor, runner, desk_settings, default_registry())
    qtbot.addWidget(window)
    window.show()
    window.start()
    screen = window.screens["referrals_flagged"]
    qtbot.waitUntil(lambda: len(screen.items) == 1, timeout=10_000)
    window.navigate("referrals_flagged")
    note = "x" * (DECISION_NOTE_MAXIMUM + 1)
    screen.note.setText(note)
    assert screen.note.text() == note and screen.note.counter.text() == f"{len(note)} / {DECISION_NOTE_MAXIMUM}"
    qtbot.mouseClick(screen.clear_button, Qt.MouseButton.LeftButton)
    assert screen.note_error.isVisible() and str(DECISION_NOTE_MAXIMUM) in screen.note_error.text()
    assert screen.note.text() == note and len(screen.items) == 1
    window.idle.stop()
    window._closing_for_sign_out = True
    window.close()
